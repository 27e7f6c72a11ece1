using System.Net.Sockets;
using Chat.Protocol;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chat.Client.Internal;

/// <summary>
/// The connection under a <see cref="ChatClient"/>: the current <see cref="HubConnection"/>, the first
/// connect, the endless reconnect loop, and the calls that wait for a connection and repeat when it
/// drops under them. What the chat does on top (rejoining rooms, catching up, raising events) it leaves
/// to the client through the callbacks it is built with.
/// </summary>
/// <remarks>
/// Each connect and reconnect gets a new <see cref="HubConnection"/> from <c>WithUrl</c>: a
/// <see cref="HubConnection"/> keeps its URL for life, and the URL asks for the nickname the user has
/// now (renamed, or assigned by the server), so a reconnect comes back under the same name. That is why
/// the nickname lives here.
/// </remarks>
/// <remarks>
/// The access token each connection presents (a guest's key, or a signed-in client's token, renewed
/// before each start) and the one more connection after a refused token are <see cref="AccessTokenSource"/>'s.
/// </remarks>
internal sealed class ReconnectingConnection : IAsyncDisposable
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

    private readonly ChatClientOptions _options;
    private readonly ILogger _logger;
    private readonly Action<HubConnection> _subscribe;
    private readonly Action<Exception?> _onReconnecting;
    private readonly Func<HubConnection, Task> _recover;
    private readonly Action<Exception?> _onClosedForGood;
    private readonly AccessTokenSource _tokens;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _stateGate = new();
    private TaskCompletionSource _ready = NewSignal();
    private TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HubConnection? _connection;
    private volatile bool _established;
    private volatile bool _reconnecting;
    private volatile bool _closedForGood;
    private volatile bool _signedIn;
    private string? _nickname;

    /// <param name="subscribe">Registers the client's handlers of hub events on each new connection.</param>
    /// <param name="reconnecting">A lost connection is being replaced; calls wait from now on.</param>
    /// <param name="recover">A replacement has started; calls wait until it lets them go (<see cref="ReleaseCalls"/>).</param>
    /// <param name="closedForGood">The connection ended and no reconnect follows.</param>
    public ReconnectingConnection(
        ChatClientOptions options,
        ILogger logger,
        Action<HubConnection> subscribe,
        Action<Exception?> reconnecting,
        Func<HubConnection, Task> recover,
        Action<Exception?> closedForGood)
    {
        _options = options;
        _logger = logger;
        _subscribe = subscribe;
        _onReconnecting = reconnecting;
        _recover = recover;
        _onClosedForGood = closedForGood;
        _tokens = new AccessTokenSource(options, logger);
        _nickname = options.Credentials is { } credentials ? credentials.Username : options.Nickname;
    }

    /// <summary>Cancelled once the client is disconnected.</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>The connection now in use, if any; it may be one that has dropped and waits to be replaced.</summary>
    public HubConnection? Current => Volatile.Read(ref _connection);

    public string? Nickname => Volatile.Read(ref _nickname);

    /// <summary>Whether the server took this client's credentials: its last <c>Me</c> said so.</summary>
    public bool SignedIn => _signedIn;

    /// <summary>When the access token in hand expires; null for a guest.</summary>
    public DateTimeOffset? TokenExpiresAt => _tokens.ExpiresAt;

    /// <summary><see cref="HubConnectionState.Reconnecting"/> from a lost connection until its successor is up.</summary>
    public HubConnectionState State =>
        _reconnecting ? HubConnectionState.Reconnecting : Current?.State ?? HubConnectionState.Disconnected;

    /// <summary>The nickname the server answered with; the next connection asks for it.</summary>
    public void SetNickname(string nickname) => Volatile.Write(ref _nickname, nickname);

    /// <summary>The server's <c>Me</c> on a new connection: who this client is now.</summary>
    public void Accept(UserProfile profile)
    {
        SetNickname(profile.Nickname);
        _signedIn = profile.SignedIn;
    }

    /// <summary>Takes a rename announced by the server if it renames the nickname this client has now.</summary>
    public void Rename(string oldNickname, string newNickname)
    {
        // Another connection of this same user may have renamed it, or this one before its answer came.
        // (Interlocked.CompareExchange would compare string references, which never match here.)
        lock (_stateGate)
        {
            if (string.Equals(_nickname, oldNickname, StringComparison.Ordinal))
            {
                Volatile.Write(ref _nickname, newNickname);
            }
        }
    }

    /// <summary>Lets the calls waiting for a connection go.</summary>
    public void ReleaseCalls()
    {
        lock (_stateGate)
        {
            _ready.TrySetResult();
        }
    }

    /// <summary>
    /// Connects once. Throws <see cref="ChatConnectionException"/> when the server cannot be reached
    /// (<see cref="ConnectFailure.Unreachable"/>) or refuses, e.g. for a taken nickname.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _closedForGood = false;

        // Throws ChatConnectionException with the server's sentence (wrong pair, throttled) or unreachable.
        await _tokens.PrepareAsync(cancellationToken);

        var connection = await ReplaceConnectionAsync()
            ?? throw new InvalidOperationException("This client was disconnected; create a new one.");
        try
        {
            await connection.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && AccessTokenSource.IsUnauthorized(ex))
        {
            throw new ChatConnectionException("The chat server refused the access token.", ConnectFailure.Refused, ex);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChatConnectionException($"Cannot reach chat server at {_options.Server}: {ReasonOf(ex)}", ConnectFailure.Unreachable, ex);
        }

        try
        {
            var profile = await connection.InvokeAsync<UserProfile>(nameof(IChatHub.Me), cancellationToken);
            Accept(profile);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A refusal (e.g. a taken nickname) arrives as the server closing the connection.
            var closeError = await _closed.Task.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(
                task => task.IsCompletedSuccessfully ? task.Result : null,
                TaskScheduler.Default);
            await connection.StopAsync(CancellationToken.None);
            throw new ChatConnectionException(ChatException.SentenceOf(closeError ?? ex), ConnectFailure.Refused, ex);
        }

        _established = true;
        ReleaseCalls();
    }

    /// <summary>
    /// Invokes a hub method once connected. A call cut off by a lost connection is repeated after the
    /// reconnect (every method is safe to repeat: sends carry their id); a refusal becomes a
    /// <see cref="ChatException"/> with the server's sentence.
    /// </summary>
    public async Task<T> InvokeAsync<T>(string method, object?[] arguments, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var token = linked.Token;
        while (true)
        {
            Task ready;
            lock (_stateGate)
            {
                ready = _ready.Task;
            }

            await ready.WaitAsync(token);
            try
            {
                return await Current!.InvokeCoreAsync<T>(method, arguments, token);
            }
            catch (HubException ex) when (!IsConnectionClosing(ex))
            {
                throw new ChatException(ChatException.SentenceOf(ex), ex);
            }
            catch (Exception ex) when (!token.IsCancellationRequested && ex is not ChatException)
            {
                if (_closedForGood)
                {
                    throw new ChatException("The connection to the chat server is closed.", ex);
                }

                // The connection dropped under this call; wait for the reconnect and repeat it.
                await Task.Delay(RetryPause, token);
            }
        }
    }

    /// <summary>Leaves the server for good: no reconnect, pending calls fail.</summary>
    public async Task DisconnectAsync()
    {
        await _lifetime.CancelAsync();

        // No connection replaces this one once the lifetime is over (ReplaceConnectionAsync checks under the same lock).
        HubConnection? connection;
        lock (_stateGate)
        {
            connection = _connection;
        }

        if (connection is not null)
        {
            await connection.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        if (Current is { } connection)
        {
            await connection.DisposeAsync();
        }

        _tokens.Dispose();
        _lifetime.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal static string ReasonOf(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData => "host not found",
                    SocketError.TimedOut => "timed out",
                    _ => socket.Message.ToLowerInvariant(),
                };
            }
        }

        return exception.GetBaseException().Message;
    }

    /// <summary>A new connection for the next start (the previous one is done), or null once the client is disconnected.</summary>
    private async Task<HubConnection?> ReplaceConnectionAsync()
    {
        var connection = BuildConnection();
        HubConnection? previous;
        lock (_stateGate)
        {
            if (_lifetime.IsCancellationRequested)
            {
                previous = connection;
                connection = null;
            }
            else
            {
                previous = _connection;
                Volatile.Write(ref _connection, connection);
            }
        }

        if (previous is not null)
        {
            await previous.DisposeAsync();
        }

        return connection;
    }

    private HubConnection BuildConnection()
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(HubUrl(), ConfigureTransport)
            .WithServerTimeout(_options.ServerTimeout)
            .WithKeepAliveInterval(_options.KeepAliveInterval);
        if (_options.LoggerFactory is not null)
        {
            builder.Services.AddSingleton(_options.LoggerFactory);
        }

        var connection = builder.Build();
        _subscribe(connection);
        connection.Closed += error => OnClosed(connection, error);
        return connection;
    }

    /// <summary>
    /// The hub's address, asking for the nickname this client has now (a signed-in client's is its
    /// username, which the server takes from the token). The nickname is no secret; the key is not in it.
    /// </summary>
    private Uri HubUrl()
    {
        var hub = new Uri(_options.Server, ChatEndpoints.HubPath);
        return !_tokens.SignsIn && Nickname is { } nickname
            ? new UriBuilder(hub) { Query = $"{ChatEndpoints.NameParameter}={Uri.EscapeDataString(nickname)}" }.Uri
            : hub;
    }

    private void ConfigureTransport(HttpConnectionOptions http)
    {
        // The key or token is a secret: as the access token it travels in the Authorization header on
        // every transport (the WebSocket upgrade, negotiate, SSE and long polling requests), where the
        // URL, and every log line that shows a URL, never carry it.
        http.AccessTokenProvider = () => _tokens.GetAsync(_lifetime.Token);
        if (_options.Negotiate)
        {
            http.Transports = _options.Transports;
        }
        else
        {
            // Without negotiate any node can take the connection: no sticky sessions needed.
            http.SkipNegotiation = true;
            http.Transports = HttpTransportType.WebSockets;
        }
    }

    private Task OnClosed(HubConnection connection, Exception? error)
    {
        if (connection != Current)
        {
            // A connection already replaced: its successor speaks for the client.
            return Task.CompletedTask;
        }

        _closed.TrySetResult(error);

        // Every lost connection comes back, even when the server's close did not allow a reconnect (a
        // server shutting down or dropping a misbehaving connection may say so), until the client is
        // told to stop; only the hub refusing the user ends it.
        if (_established && !_lifetime.IsCancellationRequested && (!IsRefusal(error) || _tokens.RenewAfterRefusal()))
        {
            _ = ReconnectAsync(error);
            return Task.CompletedTask;
        }

        _closedForGood = true;
        _onClosedForGood(error);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Calls still waiting when the server closes the connection fail with a HubException too; unlike
    /// a refused call, they say the connection is gone, and are repeated after the reconnect.
    /// </summary>
    private bool IsConnectionClosing(HubException exception) =>
        Current?.State != HubConnectionState.Connected
        || exception.Message.StartsWith("The server closed the connection", StringComparison.Ordinal);

    private static bool IsRefusal(Exception? error) =>
        error?.Message.Contains("HubException: ", StringComparison.Ordinal) == true;

    /// <summary>
    /// Starts a new connection with the reconnect policy's delays (the first attempt at once, then backoff
    /// with jitter, forever by default), then recovers. This is the client's own loop rather than
    /// SignalR's automatic reconnect, which keeps the lost connection's URL and stops when a close
    /// does not allow a reconnect.
    /// </summary>
    private async Task ReconnectAsync(Exception? error)
    {
        _reconnecting = true;
        lock (_stateGate)
        {
            if (_ready.Task.IsCompleted)
            {
                _ready = NewSignal();
            }
        }

        _onReconnecting(error);
        var connection = await ReplaceConnectionAsync();
        var started = DateTime.UtcNow;
        for (var attempt = 0L; connection is not null && !_lifetime.IsCancellationRequested; attempt++)
        {
            var delay = _options.ReconnectPolicy.NextRetryDelay(new RetryContext
            {
                PreviousRetryCount = attempt,
                ElapsedTime = DateTime.UtcNow - started,
                RetryReason = error,
            });
            if (delay is null)
            {
                break;
            }

            try
            {
                await Task.Delay(delay.Value, _lifetime.Token);
                await _tokens.PrepareAsync(_lifetime.Token);

                _closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
                await connection.StartAsync(_lifetime.Token);
                _reconnecting = false;
                await _recover(connection);
                return;
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                break;
            }
            catch (ChatConnectionException ex) when (ex.Failure is ConnectFailure.SignInRefused or ConnectFailure.Refused)
            {
                // The password no longer signs in (changed, or the account is gone): trying again cannot help.
                error = ex;
                _tokens.SignInFailed(ex);
                break;
            }
            catch (Exception ex)
            {
                error = ex;
                _tokens.StartFailed(ex);

                _logger.LogDebug(ex, "Starting the connection again failed");
            }
        }

        _reconnecting = false;
        _closedForGood = true;
        _onClosedForGood(error);
    }
}
