using System.Collections.Concurrent;
using System.Diagnostics;
using Chat.Protocol;

namespace Chat.Bench.Load;

/// <summary>
/// Many simulated users in one process: connects them (a bounded number at a time), joins each to its
/// room, pings them all so the server never drops a silent one, and closes them together.
/// </summary>
public sealed class ClientFleet : IAsyncDisposable
{
    /// <summary>Well under the server's client timeout (30 s by default).</summary>
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);

    private readonly HttpMessageInvoker _invoker;
    private readonly HubClient?[] _clients;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private Task _pinging = Task.CompletedTask;

    private ClientFleet(int size)
    {
        _clients = new HubClient?[size];
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1),
        });
    }

    /// <summary>The users, by index; null where connecting failed.</summary>
    public IReadOnlyList<HubClient?> Clients => _clients;

    /// <summary>Why users failed to connect or join (the first few are enough to tell).</summary>
    public IReadOnlyList<string> Failures => [.. _failures.Where(failure => failure.Length > 0)];

    /// <summary>Users that failed to connect or join.</summary>
    public int FailureCount => _failures.Count;

    public int Connected => _clients.Count(client => client is not null);

    /// <summary>Users whose connection ended while the fleet was up (closed by the server or broken).</summary>
    public int Closed => _clients.Count(client => client is { IsOpen: false });

    /// <summary>Opens <paramref name="size"/> users; <paramref name="endpointOf"/> says where each connects, <paramref name="roomOf"/> which room it joins (null: none).</summary>
    public static async Task<ClientFleet> OpenAsync(
        int size,
        Func<int, Uri> endpointOf,
        Func<int, string?> roomOf,
        IHubEventSink sink,
        Func<int, object?> stateOf,
        int concurrency,
        LatencyHistogram? connectLatency = null,
        CancellationToken cancellationToken = default)
    {
        var fleet = new ClientFleet(size);

        // Pinging starts with the first user: connecting thousands can take longer than the
        // server's client timeout, and a user silent that long is (rightly) closed.
        fleet._pinging = fleet.PingLoopAsync();
        try
        {
            await fleet.AddAsync(0, size, endpointOf, roomOf, sink, stateOf, concurrency, connectLatency, cancellationToken);
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }

        return fleet;
    }

    /// <summary>Pings every user now and then until disposed.</summary>
    private async Task PingLoopAsync()
    {
        try
        {
            using var timer = new PeriodicTimer(PingInterval);
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (var client in _clients)
                {
                    if (client is { IsOpen: true })
                    {
                        try
                        {
                            await client.PingAsync(_stop.Token);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            // A broken connection shows in Closed; the others still need their pings.
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pinging;
        await Task.WhenAll(_clients.Where(client => client is not null).Select(client => client!.DisposeAsync().AsTask()));
        _invoker.Dispose();
        _stop.Dispose();
    }

    private async Task AddAsync(
        int from,
        int count,
        Func<int, Uri> endpointOf,
        Func<int, string?> roomOf,
        IHubEventSink sink,
        Func<int, object?> stateOf,
        int concurrency,
        LatencyHistogram? connectLatency,
        CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(from, count), options, async (index, token) =>
        {
            var started = Stopwatch.GetTimestamp();
            HubClient? client = null;
            try
            {
                client = await HubClient.ConnectAsync(endpointOf(index), index, sink, stateOf(index), _invoker, token);
                if (roomOf(index) is { } room)
                {
                    var error = await client.CallAsync(nameof(IChatHub.Join), $"[\"{room}\"]", token);
                    if (error is not null)
                    {
                        throw new InvalidOperationException($"Join({room}) failed: {error}");
                    }
                }

                connectLatency?.RecordElapsed(started, Stopwatch.GetTimestamp());
                _clients[index] = client;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                if (_failures.Count < 20)
                {
                    _failures.Enqueue($"user {index}: {ex.GetType().Name}: {ex.Message}");
                }
                else
                {
                    _failures.Enqueue(string.Empty);
                }

                if (client is not null)
                {
                    await client.DisposeAsync();
                }
            }
        });
    }
}
