using System.Net;
using Chat.Server.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// The TCP door (seeds 001 and 002), Kestrel's connection handler on <c>Chat:Tcp:Port</c>: it asks for
/// a nickname, then each line is a line of the command language (<see cref="LineSession"/>) and the
/// answers are the console client's lines (<see cref="TextLineWriter"/>).
/// </summary>
internal sealed class TcpDoor(
    DoorHubConnections doors,
    ConnectionDrainer drainer,
    ChatMetrics metrics,
    IOptions<ChatLimitsOptions> limits,
    IOptions<TcpDoorOptions> options,
    TimeProvider time,
    ILogger<TcpDoor> logger) : ConnectionHandler
{
    public const string Name = "tcp";

    public const string Prompt = "Enter your nickname: ";

    // Enough tries for typos; a script trying names in a loop is not a user.
    private const int MaxNicknameTries = 5;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var stallTimeout = TimeSpan.FromSeconds(limits.Value.StallTimeoutSeconds);
        var writer = new TextLineWriter(connection.Transport.Output, stallTimeout, () =>
        {
            metrics.Rejected("stalled");
            logger.Stalled(Name, connection.RemoteEndPoint?.ToString(), limits.Value.StallTimeoutSeconds);
            connection.Abort(new ConnectionAbortedException("The client stopped reading."));
        });
        var lines = new TelnetLineReader(connection.Transport.Input, limits.Value.MaxMessageBytes);
        var idle = TimeSpan.FromSeconds(options.Value.IdleTimeoutSeconds);
        var aborted = connection.ConnectionClosed;
        try
        {
            if (drainer.IsStopping)
            {
                await writer.SystemAsync("The server is restarting; connect again in a moment.", "restarting", aborted);
                return;
            }

            var session = await ConnectAsync(connection, writer, lines, idle, aborted);
            if (session is not null)
            {
                await RunAsync(connection, session, lines, idle);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException or ConnectionAbortedException)
        {
            // The client went away.
        }
    }

    /// <summary>Asks for a nickname until the hub accepts one; null when the client leaves, idles or keeps failing.</summary>
    private async Task<LineSession?> ConnectAsync(ConnectionContext connection, TextLineWriter writer, TelnetLineReader lines, TimeSpan idle, CancellationToken aborted)
    {
        for (var attempt = 0; attempt < MaxNicknameTries; attempt++)
        {
            await writer.WriteAsync(Prompt, aborted);
            var (status, text) = await ReadLineAsync(connection, lines, idle);
            switch (status)
            {
                case LineStatus.End:
                    return null;
                case LineStatus.Idle:
                    await IdleAsync(connection, writer, idle, aborted);
                    return null;
                case LineStatus.TooLong or LineStatus.InvalidUtf8:
                    await writer.ErrorAsync(Problem(status), aborted);
                    continue;
            }

            var nickname = text.Trim();
            try
            {
                return await LineSession.ConnectAsync(doors, Name, nickname.Length == 0 ? null : nickname, clientKey: null, accessToken: null, connection.RemoteEndPoint as IPEndPoint, writer, aborted);
            }
            catch (DoorRefusedException ex)
            {
                await writer.ErrorAsync(ex.Message, aborted);
            }
        }

        logger.Refused(Name, "too many refused nicknames");
        await writer.SystemAsync("Too many tries; goodbye.", null, aborted);
        return null;
    }

    private async Task RunAsync(ConnectionContext connection, LineSession session, TelnetLineReader lines, TimeSpan idle)
    {
        await using (session)
        {
            await session.SystemAsync($"Welcome, {session.Nickname}! Type /help for commands, /join <room> to start, /quit to leave.");
            var reading = ReadCommandsAsync(connection, session, lines, idle);
            if (await Task.WhenAny(reading, session.Closed) != reading)
            {
                // The server closed the hub connection (stalled reader, shutdown, an administrator): stop reading.
                connection.Transport.Input.CancelPendingRead();
            }

            await reading;
        }

        // Flushes what is left, then Kestrel closes the socket when the handler returns.
        await connection.Transport.Output.CompleteAsync();
    }

    private async Task ReadCommandsAsync(ConnectionContext connection, LineSession session, TelnetLineReader lines, TimeSpan idle)
    {
        // Every line counts, as every frame does on the WebSocket doors: blank lines and unknown commands reach no hub limit.
        var inbound = new InboundBudget(Name, limits.Value, metrics, time, logger);
        while (!session.Closed.IsCompleted)
        {
            var (status, text) = await ReadLineAsync(connection, lines, idle);
            if (status is not (LineStatus.End or LineStatus.Idle) && !inbound.TryTake())
            {
                await session.ErrorAsync(InboundBudget.Sentence);
                return;
            }

            switch (status)
            {
                case LineStatus.End:
                    return;
                case LineStatus.Idle:
                    logger.Idle(Name, connection.RemoteEndPoint?.ToString());
                    await session.SystemAsync(IdleSentence(idle));
                    return;
                case LineStatus.TooLong or LineStatus.InvalidUtf8:
                    await session.ErrorAsync(Problem(status));
                    continue;
            }

            if (!await session.HandleAsync(text, connection.ConnectionClosed))
            {
                return;
            }
        }
    }

    private async Task<(LineStatus Status, string Text)> ReadLineAsync(ConnectionContext connection, TelnetLineReader lines, TimeSpan idle)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(idle);
        try
        {
            return await lines.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!connection.ConnectionClosed.IsCancellationRequested)
        {
            return (LineStatus.Idle, "");
        }
    }

    private async Task IdleAsync(ConnectionContext connection, TextLineWriter writer, TimeSpan idle, CancellationToken aborted)
    {
        logger.Idle(Name, connection.RemoteEndPoint?.ToString());
        await writer.SystemAsync(IdleSentence(idle), null, aborted);
    }

    private static string IdleSentence(TimeSpan idle) => $"Nothing received for {idle.TotalSeconds:0} s; closing the connection.";

    private string Problem(LineStatus status) => status == LineStatus.TooLong
        ? $"That line is longer than {limits.Value.MaxMessageBytes} bytes; it was not sent."
        : "That line is not valid UTF-8; it was not sent.";
}
