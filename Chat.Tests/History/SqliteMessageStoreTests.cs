using Chat.Server.History;
using Chat.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chat.Tests.History;

public sealed class SqliteMessageStoreTests : MessageStoreContract
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task Messages_survive_reopening_the_database_file()
    {
        await Store.AppendAsync(new StoredMessage(new Chat.Protocol.ChatMessage("id", "kept", 1, "alice", "still here", DateTimeOffset.UnixEpoch), "u:a", "c1"));
        await ((IAsyncDisposable)Store).DisposeAsync();

        await using var reopened = Open();
        await reopened.InitializeAsync();
        (await reopened.GetLatestAsync("kept", 10)).Should().ContainSingle().Which.Message.Text.Should().Be("still here");
    }

    protected override Task<IMessageStore> CreateStoreAsync() => Task.FromResult<IMessageStore>(Open());

    protected override Task CleanUpAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
        return Task.CompletedTask;
    }

    private SqliteMessageStore Open() =>
        new(Options.Create(new HistoryOptions { SqlitePath = _directory.File("chat.db") }), NullLogger<SqliteMessageStore>.Instance);
}
