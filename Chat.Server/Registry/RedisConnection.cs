using System.Security.Cryptography;
using Chat.Server.Registry.Internal;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chat.Server.Registry;

/// <summary>
/// This node's link to Redis, shared by the backplane and the registry: one multiplexer (which
/// reconnects and resubscribes by itself), every call bounded by <see cref="RedisOptions.OperationTimeout"/>,
/// and a probe that decides whether Redis is usable right now. While it is not, callers skip Redis
/// and fall back to what this node knows; <see cref="Recovered"/> tells them when to catch Redis up.
/// </summary>
public sealed class RedisConnection : IHostedService, IAsyncDisposable
{
    private readonly RedisOptions _options;
    private readonly ILogger<RedisConnection> _logger;
    private readonly TimeProvider _time;
    private readonly ConnectionMultiplexer _multiplexer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _probeNow = new(0, 1);
    private Task? _probeLoop;
    private volatile bool _available;
    private long _availableSince;

    // Time without Redis: the outages that ended, and since when the current one lasts (0 while Redis answers).
    private readonly Lock _outageClock = new();
    private TimeSpan _unavailableBefore;
    private long _unavailableSince;
    private int _disposed;

    public RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger, TimeProvider time)
    {
        _options = options.Value;
        _logger = logger;
        _time = time;
        _unavailableSince = time.GetTimestamp();
        NodeId = $"{Environment.MachineName}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        Prefix = _options.Prefix + ":";

        var configuration = RedisConfiguration.For(_options, "signalrchat-" + NodeId);

        // Once, when the first Redis user is created. It does not wait for Redis to be up: with
        // AbortOnConnectFail off the multiplexer returns at once and keeps connecting in the background.
        RegistryLog.Connecting(_logger, string.Join(", ", configuration.EndPoints), NodeId);
        _multiplexer = ConnectionMultiplexer.Connect(configuration);
        _multiplexer.ConnectionFailed += (_, e) =>
        {
            RegistryLog.ConnectionFailed(_logger, e.ConnectionType.ToString(), e.FailureType.ToString());
            MarkUnavailable();
        };
        _multiplexer.ConnectionRestored += (_, e) =>
        {
            RegistryLog.ConnectionRestored(_logger, e.ConnectionType.ToString());
            RequestProbe();
        };
        Subscriber = _multiplexer.GetSubscriber();
    }

    /// <summary>This node's id in the cluster: unique for each start of the process.</summary>
    public string NodeId { get; }

    /// <summary>What every key and channel of this cluster starts with (<see cref="RedisOptions.Prefix"/> and a colon).</summary>
    public string Prefix { get; }

    public TimeSpan OperationTimeout => _options.OperationTimeout;

    /// <summary>Subscriptions are kept by the multiplexer and sent again after every reconnect.</summary>
    public ISubscriber Subscriber { get; }

    /// <summary>True while the last probe got an answer in time.</summary>
    public bool IsAvailable => _available;

    /// <summary>How long Redis has answered without a break; zero while it does not.</summary>
    public TimeSpan AvailableFor => _available ? _time.GetElapsedTime(Interlocked.Read(ref _availableSince)) : TimeSpan.Zero;

    /// <summary>How long Redis has not answered since this node started, the wait for its first answer included.</summary>
    public TimeSpan UnavailableTotal
    {
        get
        {
            lock (_outageClock)
            {
                return _unavailableSince == 0 ? _unavailableBefore : _unavailableBefore + _time.GetElapsedTime(_unavailableSince);
            }
        }
    }

    /// <summary>Redis answers again (or for the first time): state kept there may be stale or gone.</summary>
    public event Action? Recovered;

    /// <summary>Redis stopped answering.</summary>
    public event Action? Lost;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _probeLoop = Task.Run(ProbeLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_probeLoop is not null)
        {
            await _probeLoop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Runs one Redis call, waiting at most <see cref="OperationTimeout"/>. Throws
    /// <see cref="RedisUnavailableException"/> at once while Redis is known to be unreachable, and
    /// when the call fails or takes too long.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken = default)
    {
        if (!_available)
        {
            throw new RedisUnavailableException("Redis is unreachable.");
        }

        Task<T> call;
        try
        {
            call = operation(_multiplexer.GetDatabase());
        }
        catch (RedisException ex)
        {
            throw new RedisUnavailableException($"Redis refused the call: {ex.Message}", ex);
        }

        return await BoundAsync(call, cancellationToken);
    }

    /// <summary>
    /// Publishes unless Redis is known to be unreachable; completes with false when the message did not
    /// go out. The publish is issued before this returns, so publishes leave in call order.
    /// </summary>
    public Task<bool> TryPublishAsync(string channel, byte[] payload)
    {
        if (!_available)
        {
            return Task.FromResult(false);
        }

        Task published;
        try
        {
            published = Subscriber.PublishAsync(RedisChannel.Literal(channel), payload);
        }
        catch (RedisException ex)
        {
            RegistryLog.PublishFailed(_logger, channel, ex.Message);
            return Task.FromResult(false);
        }

        return WaitForPublishAsync(channel, published);
    }

    /// <summary>Waits at most <see cref="OperationTimeout"/> for a Redis task; an abandoned task's failure is observed.</summary>
    public async Task<T> BoundAsync<T>(Task<T> task, CancellationToken cancellationToken = default)
    {
        try
        {
            return await task.WaitAsync(_options.OperationTimeout, _time, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or RedisException && !cancellationToken.IsCancellationRequested)
        {
            _ = task.ContinueWith(static abandoned => _ = abandoned.Exception, TaskContinuationOptions.OnlyOnFaulted);
            RequestProbe();
            throw new RedisUnavailableException($"Redis did not answer: {ex.Message}", ex);
        }
    }

    public async Task BoundAsync(Task task, CancellationToken cancellationToken = default) =>
        await BoundAsync(task.ContinueWith(static done => { done.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // The container disposes this twice: once as itself and once as the hosted service its
        // factory returned. The second call would find the token source disposed.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_probeLoop is not null)
        {
            await _probeLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _multiplexer.CloseAsync(allowCommandsToComplete: false);
        _multiplexer.Dispose();
        _stopping.Dispose();
    }

    private async Task<bool> WaitForPublishAsync(string channel, Task published)
    {
        try
        {
            await BoundAsync(published);
            return true;
        }
        catch (RedisUnavailableException ex)
        {
            RegistryLog.PublishFailed(_logger, channel, ex.Message);
            return false;
        }
    }

    private void RequestProbe()
    {
        try
        {
            _probeNow.Release();
        }
        catch (SemaphoreFullException)
        {
            // A probe is already requested.
        }
    }

    /// <summary>
    /// Pings Redis about once a second (at once when a call failed or the multiplexer reconnected). A
    /// ping is the judge because a hanging Redis keeps its sockets open and only stops answering.
    /// </summary>
    private async Task ProbeLoopAsync()
    {
        var interval = TimeSpan.FromMilliseconds(Math.Min(1000, _options.HeartbeatInterval.TotalMilliseconds / 2));
        while (!_stopping.IsCancellationRequested)
        {
            bool answered;
            try
            {
                await _multiplexer.GetDatabase().PingAsync().WaitAsync(_options.OperationTimeout, _time, _stopping.Token);
                answered = true;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                answered = false;
            }

            if (answered && !_available)
            {
                Interlocked.Exchange(ref _availableSince, _time.GetTimestamp());
                lock (_outageClock)
                {
                    _unavailableBefore += _time.GetElapsedTime(_unavailableSince);
                    _unavailableSince = 0;
                }

                _available = true;
                RegistryLog.Available(_logger, NodeId);
                Raise(Recovered);
            }
            else if (!answered)
            {
                MarkUnavailable();
            }

            try
            {
                await _probeNow.WaitAsync(interval, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void MarkUnavailable()
    {
        if (_available)
        {
            _available = false;
            lock (_outageClock)
            {
                _unavailableSince = _time.GetTimestamp();
            }

            RegistryLog.Unavailable(_logger);
            Raise(Lost);
        }
    }

    private void Raise(Action? handler)
    {
        try
        {
            handler?.Invoke();
        }
        catch (Exception ex)
        {
            RegistryLog.HandlerFailed(_logger, ex);
        }
    }
}
