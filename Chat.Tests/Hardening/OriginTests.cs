using Chat.Tests.Infrastructure;

namespace Chat.Tests.Hardening;

public abstract class OriginTests(WebSocketPath path) : IAsyncLifetime
{
    private const string Partner = "https://partner.example";

    private ChatServerProcess? _server;

    private ChatServerProcess Server => _server!;

    public async Task InitializeAsync() =>
        _server = await ChatServerProcess.StartAsync(path: path, settings: new Dictionary<string, string> { ["Chat:AllowedOrigins:0"] = Partner });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task A_browser_page_from_a_foreign_origin_is_refused_with_403()
    {
        var connect = () => RawSocket.ConnectAsync(Server.Address, origin: "https://evil.example");

        (await connect.Should().ThrowAsync<RawSocketRefusedException>()).Which.Status.Should().Be(System.Net.HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_servers_own_origin_an_allowed_origin_and_clients_without_origin_connect()
    {
        await using var sameOrigin = await RawSocket.ConnectAsync(Server.Address, origin: Server.Address.ToString().TrimEnd('/'));
        await using var partner = await RawSocket.ConnectAsync(Server.Address, origin: Partner);
        await using var noOrigin = await TestClient.ConnectAsync(Server.Address, Names.User("cli"));

        sameOrigin.Socket.State.Should().Be(System.Net.WebSockets.WebSocketState.Open);
        partner.Socket.State.Should().Be(System.Net.WebSockets.WebSocketState.Open);
        (await noOrigin.Client.MeAsync()).Nickname.Should().NotBeEmpty();
    }

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath() : OriginTests(WebSocketPath.Direct);

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath() : OriginTests(WebSocketPath.Http);
}
