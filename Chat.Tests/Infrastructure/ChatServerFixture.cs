namespace Chat.Tests.Infrastructure;

/// <summary>One server shared by a test class; tests keep apart by using their own room and user names.</summary>
public sealed class ChatServerFixture : IAsyncLifetime
{
    private ChatServerProcess? _server;

    public ChatServerProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public Uri Address => Server.Address;

    public async Task InitializeAsync() => _server = await ChatServerProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
