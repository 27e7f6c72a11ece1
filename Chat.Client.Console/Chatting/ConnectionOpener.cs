using System.Threading.Channels;
using Chat.Client.Console.Rendering;

namespace Chat.Client.Console.Chatting;

/// <summary>
/// Gets the first connection: retries an unreachable server with a countdown until it answers or the
/// user stops, and when the nickname is refused asks for another (interactive) or gives up (piped).
/// </summary>
internal sealed class ConnectionOpener(IChatScreen screen, ChatFormatter formatter, TextWriter errors)
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Seconds to wait after the n-th failed attempt (0-based): 1, 2, 4, 8, then 10.</summary>
    public static TimeSpan RetryDelay(int failedAttempts) =>
        TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(failedAttempts, 10)), MaxRetryDelay.TotalSeconds));

    /// <param name="answers">Where to read another nickname from; null when nobody is there to ask.</param>
    /// <returns>The connected client, or null after saying why there is none.</returns>
    public async Task<ChatClient?> OpenAsync(ConsoleOptions options, ChannelReader<string>? answers, CancellationToken cancellationToken)
    {
        var nickname = options.Nickname;
        string? lastProblem = null;
        var failedAttempts = 0;
        while (true)
        {
            var client = new ChatClient(new ChatClientOptions { Server = options.Server, Nickname = nickname, UserKey = options.UserKey });
            try
            {
                await client.ConnectAsync(cancellationToken);
                return client;
            }
            catch (ChatConnectionException ex) when (ex.Failure == ConnectFailure.Unreachable)
            {
                await client.DisposeAsync();
                if (ex.Message != lastProblem)
                {
                    screen.Show(ChatFormatter.Error(ex.Message));
                    lastProblem = ex.Message;
                }

                if (!await CountDownAsync(RetryDelay(failedAttempts++), cancellationToken))
                {
                    return null;
                }
            }
            catch (ChatConnectionException ex)
            {
                await client.DisposeAsync();
                lastProblem = null;
                failedAttempts = 0;
                if (answers is null)
                {
                    await errors.WriteLineAsync(ex.Message);
                    return null;
                }

                screen.Show(ChatFormatter.Error(ex.Message));
                nickname = await AskNicknameAsync(answers, cancellationToken);
                if (nickname is null)
                {
                    return null;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await client.DisposeAsync();
                return null;
            }
        }
    }

    private async Task<bool> CountDownAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var seconds = (int)Math.Ceiling(delay.TotalSeconds);
        try
        {
            if (!screen.HasStatusLine)
            {
                screen.Show(formatter.RetryCountdown(seconds));
                await Task.Delay(delay, cancellationToken);
                return true;
            }

            for (var left = seconds; left > 0; left--)
            {
                screen.ShowStatus(formatter.RetryCountdown(left));
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }

            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            screen.ShowStatus(null);
        }
    }

    private async Task<string?> AskNicknameAsync(ChannelReader<string> answers, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                screen.ShowPrompt(StyledText.Of("Choose another nickname: ", TextStyle.Prompt));
                var answer = (await answers.ReadAsync(cancellationToken)).Trim();
                if (answer.Length > 0)
                {
                    return answer;
                }
            }
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            return null;
        }
    }
}
