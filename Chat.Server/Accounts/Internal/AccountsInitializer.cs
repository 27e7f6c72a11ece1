namespace Chat.Server.Accounts.Internal;

/// <summary>
/// Creates or upgrades the accounts' tables and loads the signing key before the server takes
/// connections. Registered after the history's initializer, which waits for PostgreSQL to answer.
/// </summary>
internal sealed class AccountsInitializer(IAccountStore store, SigningKeys keys, ILogger<AccountsInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        await keys.LoadAsync(cancellationToken);
        logger.AccountsReady(keys.Configured ? "Chat:Auth:SigningKey" : store is SqliteAccountStore sqlite ? "the key file beside " + Path.GetFileName(sqlite.DatabasePath) : "the key kept in the database");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
