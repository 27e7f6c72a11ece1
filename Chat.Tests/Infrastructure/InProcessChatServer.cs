using Chat.Server.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Chat.Tests.Infrastructure;

/// <summary>
/// The real server hosted inside the test run, on Kestrel at a free loopback port with its own SQLite
/// file and no side ports: for tests that read the server's own objects (its meter, its door
/// connections) while real clients talk to it over the network.
/// </summary>
public sealed class InProcessChatServer : IAsyncDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly WebApplicationFactory<ChatMetrics> _factory;

    /// <param name="configure">More for the host, after the defaults (settings, logging).</param>
    public InProcessChatServer(Action<IWebHostBuilder>? configure = null)
    {
        var port = FreePort.Next();
        Address = new Uri($"http://127.0.0.1:{port}");
        _factory = new WebApplicationFactory<ChatMetrics>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Chat:History:SqlitePath", _directory.File("chat.db"));
            host.UseSetting("urls", Address.ToString());
            host.UseSetting("Chat:Metrics:Port", "0");
            host.UseSetting("Chat:Tcp:Port", "0");
            configure?.Invoke(host);
        });
        _factory.UseKestrel(port);
        _factory.StartServer();
    }

    public Uri Address { get; }

    public IServiceProvider Services => _factory.Services;

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
