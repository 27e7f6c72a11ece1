using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Chat.Server.Backplane;
using Chat.Server.Registry;
using Chat.Server.Registry.Internal;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SignalRRedisOptions = Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions;

namespace Chat.Tests.Scaleout;

/// <summary>
/// One node's backplane in this process: a <see cref="ClusterHubLifetimeManager{THub}"/> (the official
/// Redis backplane and the cluster layer around it) with its own Redis connection, and fake hub
/// connections whose received invocations are recorded.
/// </summary>
public sealed class BackplaneNode : IAsyncDisposable
{
    private readonly List<FakeConnection> _connections = [];

    private BackplaneNode(RedisConnection redis, RedisOptions options, CountingProtocol protocol)
    {
        Redis = redis;
        Protocol = protocol;
        var backplane = new SignalRRedisOptions { Configuration = RedisConfiguration.ForBackplane(options, redis) };
        Manager = new ClusterHubLifetimeManager<BackplaneHub>(redis, Options.Create(options), Options.Create(backplane), new Resolver(protocol), NullLoggerFactory.Instance);
    }

    public RedisConnection Redis { get; }

    public ClusterHubLifetimeManager<BackplaneHub> Manager { get; }

    public CountingProtocol Protocol { get; }

    public static async Task<BackplaneNode> StartAsync(RedisServer redis, string prefix)
    {
        var options = new RedisOptions { Configuration = redis.Configuration, Prefix = prefix };
        var connection = new RedisConnection(Options.Create(options), NullLogger<RedisConnection>.Instance, TimeProvider.System);
        await connection.StartAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!connection.IsAvailable)
        {
            await Task.Delay(20, timeout.Token);
        }

        var node = new BackplaneNode(connection, options, new CountingProtocol());
        await node.WaitForBackplaneAsync(1, TimeSpan.FromSeconds(10));
        return node;
    }

    /// <summary>Waits (polling, at most 15 s) until <paramref name="condition"/> holds.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            try
            {
                await Task.Delay(20, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited 15 s for this: {what}");
            }
        }
    }

    /// <summary>Waits until the cluster layer has built its <paramref name="generation"/>th official backplane.</summary>
    public async Task WaitForBackplaneAsync(int generation, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (Manager.BackplaneGenerationNumber < generation)
        {
            await Task.Delay(20, cancel.Token);
        }
    }

    public async Task<FakeConnection> ConnectAsync(string? userId = null)
    {
        var connection = new FakeConnection(Protocol, userId);
        await Manager.OnConnectedAsync(connection.Context);
        _connections.Add(connection);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await Manager.OnDisconnectedAsync(connection.Context);
            connection.Dispose();
        }

        Manager.Dispose();
        await Redis.StopAsync(CancellationToken.None);
        await Redis.DisposeAsync();
    }

    /// <summary>A hub connection without a network: what the server writes to it is parsed and recorded as "Target:argument".</summary>
    public sealed class FakeConnection : IDisposable
    {
        private readonly Pipe _toClient = new();
        private readonly Pipe _fromClient = new();
        private readonly Task _reading;

        public FakeConnection(IHubProtocol protocol, string? userId)
        {
            var transport = new Duplex(_fromClient.Reader, _toClient.Writer);
            var application = new Duplex(_toClient.Reader, _fromClient.Writer);
            var connection = new DefaultConnectionContext(Guid.NewGuid().ToString("N"), transport, application);
            Context = new HubConnectionContext(connection, new HubConnectionContextOptions { KeepAliveInterval = TimeSpan.FromSeconds(15), ClientTimeoutInterval = TimeSpan.FromSeconds(30), StreamBufferCapacity = 10 }, NullLoggerFactory.Instance)
            {
                Protocol = protocol,
                UserIdentifier = userId,
            };
            _reading = ReadAsync();
        }

        public HubConnectionContext Context { get; }

        public string Id => Context.ConnectionId;

        public EventRecorder<string> Received { get; } = new();

        public void Dispose()
        {
            _toClient.Writer.Complete();
            _reading.Wait(TimeSpan.FromSeconds(5));
        }

        private async Task ReadAsync()
        {
            while (true)
            {
                var result = await _toClient.Reader.ReadAsync();
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)0x1e) is { } end)
                {
                    var frame = Encoding.UTF8.GetString(buffer.Slice(0, end).ToArray());
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    using var json = JsonDocument.Parse(frame);
                    if (json.RootElement.TryGetProperty("target", out var target))
                    {
                        Received.Add($"{target.GetString()}:{json.RootElement.GetProperty("arguments")[0].GetString()}");
                    }
                }

                _toClient.Reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
    }

    /// <summary>The JSON hub protocol, counting how often a message is serialized.</summary>
    public sealed class CountingProtocol : IHubProtocol
    {
        private readonly JsonHubProtocol _inner = new();
        private int _serializations;

        public int Serializations => Volatile.Read(ref _serializations);

        public string Name => _inner.Name;

        public int Version => _inner.Version;

        public TransferFormat TransferFormat => _inner.TransferFormat;

        public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
            _inner.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
        {
            Interlocked.Increment(ref _serializations);
            _inner.WriteMessage(message, output);
        }

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
        {
            Interlocked.Increment(ref _serializations);
            return _inner.GetMessageBytes(message);
        }
    }

    public sealed class BackplaneHub : Hub;

    private sealed class Resolver(IHubProtocol protocol) : IHubProtocolResolver
    {
        public IReadOnlyList<IHubProtocol> AllProtocols { get; } = [protocol];

        public IHubProtocol? GetProtocol(string protocolName, IReadOnlyList<string>? supportedProtocols) => protocol;
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
