using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Chat.Server.Scaleout;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chat.Tests.Scaleout;

/// <summary>
/// One node's backplane in this process: a <see cref="RedisHubLifetimeManager{THub}"/> with its own
/// Redis connection, and fake hub connections whose received invocations are recorded.
/// </summary>
public sealed class BackplaneNode : IAsyncDisposable
{
    private readonly List<FakeConnection> _connections = [];

    private BackplaneNode(RedisConnection redis, CountingProtocol protocol)
    {
        Redis = redis;
        Protocol = protocol;
        Manager = new RedisHubLifetimeManager<BackplaneHub>(NullLogger<RedisHubLifetimeManager<BackplaneHub>>.Instance, Options.Create(new RedisOptions()), new Resolver(protocol), redis);
    }

    public RedisConnection Redis { get; }

    public RedisHubLifetimeManager<BackplaneHub> Manager { get; }

    public CountingProtocol Protocol { get; }

    public static async Task<BackplaneNode> StartAsync(RedisServer redis, string prefix)
    {
        var options = Options.Create(new RedisOptions { Configuration = redis.Configuration, Prefix = prefix });
        var connection = new RedisConnection(options, NullLogger<RedisConnection>.Instance, TimeProvider.System);
        await connection.StartAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!connection.IsAvailable)
        {
            await Task.Delay(20, timeout.Token);
        }

        return new BackplaneNode(connection, new CountingProtocol());
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
