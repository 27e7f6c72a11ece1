using Chat.Tests.Infrastructure;

namespace Chat.Tests.Doors;

/// <summary>A server with its TCP door on a free port, shared by a test class; tests keep apart by room and user names.</summary>
public sealed class LineDoorServerFixture : IAsyncLifetime
{
    private ChatServerProcess? _server;

    public int TcpPort { get; } = FreePort.Next();

    public ChatServerProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public Uri Address => Server.Address;

    public string WebSocketUrl(string? name = null) => $"ws://127.0.0.1:{Server.Port}/ws{(name is null ? "" : "?name=" + name)}";

    public async Task InitializeAsync() => _server = await ChatServerProcess.StartAsync(settings: new Dictionary<string, string>
    {
        ["Chat:Tcp:Port"] = TcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),

        // Small enough for a test to pass it quickly with one line of text.
        ["Chat:Limits:MaxMessageBytes"] = "4096",
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
