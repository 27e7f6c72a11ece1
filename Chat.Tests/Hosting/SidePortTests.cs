using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Chat.Server.Hosting;
using Chat.Testing;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Hosting;

/// <summary>
/// The side ports (metrics, the TCP door) join the public addresses however those are given, as
/// <c>urls</c> or as <c>Kestrel:Endpoints</c>, and each listener runs only what it is for.
/// </summary>
public sealed class SidePortTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_public_port_the_metrics_port_and_the_tcp_door_all_listen_and_each_serves_only_its_own(bool publicAddressAsEndpoint)
    {
        var port = FreePort.Next();
        var metricsPort = FreePort.Next();
        var tcpPort = FreePort.Next();
        var settings = new Dictionary<string, string>
        {
            [ChatServerCommand.MetricsPortKey] = metricsPort.ToString(CultureInfo.InvariantCulture),
            [ChatServerCommand.TcpPortKey] = tcpPort.ToString(CultureInfo.InvariantCulture),
        };
        if (publicAddressAsEndpoint)
        {
            // Kestrel then ignores urls: the side ports must join the endpoints instead.
            settings["Kestrel:Endpoints:Public:Url"] = $"http://127.0.0.1:{port}";
        }

        await using var server = await ChatServerProcess.StartAsync(settings: settings, port: port);

        (await StatusAsync(new Uri(server.Address, "/healthz"))).Should().Be(HttpStatusCode.OK);
        (await StatusAsync(new Uri(server.Address, MetricsOptions.Path))).Should().Be(HttpStatusCode.NotFound);
        (await StatusAsync(new Uri($"http://127.0.0.1:{metricsPort}{MetricsOptions.Path}"))).Should().Be(HttpStatusCode.OK);
        (await StatusAsync(new Uri($"http://127.0.0.1:{metricsPort}/healthz"))).Should().Be(HttpStatusCode.NotFound);
        (await ReadPromptAsync(tcpPort)).Should().Be("Enter your nickname: ");
        if (!publicAddressAsEndpoint)
        {
            // (With endpoints, Kestrel rightly warns that they override the --urls the test launcher passes.)
            server.Output.Should().NotContain("Overriding address", "every address given is one Kestrel listens on");
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(Uri uri)
    {
        using var response = await Http.GetAsync(uri);
        return response.StatusCode;
    }

    /// <summary>What the TCP door says first to a client that has sent nothing: an HTTP listener would say nothing.</summary>
    private static async Task<string> ReadPromptAsync(int port)
    {
        using var client = new TcpClient();
        using var deadline = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
        var stream = client.GetStream();
        var buffer = new byte[256];
        var text = new StringBuilder();
        while (!text.ToString().EndsWith(": ", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, deadline.Token);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
