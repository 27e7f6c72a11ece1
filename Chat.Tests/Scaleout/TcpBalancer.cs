using System.Net;
using System.Net.Sockets;

namespace Chat.Tests.Scaleout;

/// <summary>
/// The load balancer in front of a cluster, as small as it gets: each client connection is forwarded
/// byte for byte (WebSocket upgrades included) to the first node in the list that accepts a TCP
/// connection. When that node dies, its clients reconnect through here and land on the next one.
/// </summary>
public sealed class TcpBalancer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<int> _backendPorts;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    public TcpBalancer(IReadOnlyList<int> backendPorts)
    {
        _backendPorts = backendPorts;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var _ = client;
        foreach (var port in _backendPorts)
        {
            using var backend = new TcpClient();
            try
            {
                await backend.ConnectAsync(IPAddress.Loopback, port, _stopping.Token);
            }
            catch (SocketException)
            {
                continue;
            }

            using var pair = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var up = CopyAsync(client.GetStream(), backend.GetStream(), pair);
            var down = CopyAsync(backend.GetStream(), client.GetStream(), pair);
            await Task.WhenAny(up, down);
            await pair.CancelAsync();
            return;
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationTokenSource pair)
    {
        try
        {
            await from.CopyToAsync(to, pair.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
