using System.Threading.Channels;
using Chat.Client.Console.Rendering;

namespace Chat.Client.Console.Chatting;

/// <summary>
/// Gets the first connection: retries an unreachable server with a countdown until it answers or the
/// user stops, and when the nickname is refused asks for another (interactive) or gives up (piped).
/// Signing in: a refused password is asked for again when it was typed at the prompt, and ends the
/// client otherwise (it came from a script); a nickname refused because it belongs to an account asks
/// for that account's password, or another nickname.
/// </summary>
/// <param name="hideNextAnswer">Makes the next line typed invisible (a password); null when nobody types.</param>
internal sealed class ConnectionOpener(IChatScreen screen, ChatFormatter formatter, TextWriter errors, Action? hideNextAnswer = null)
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
        var password = options.Password;
        var askPassword = options.AskPassword && answers is not null;
        string? lastProblem = null;
        var failedAttempts = 0;
        while (true)
        {
            if (askPassword)
            {
                askPassword = false;
                password = await AskPasswordAsync(nickname!, answers!, orAnotherNickname: false, cancellationToken);
                if (password is null)
                {
                    return null;
                }
            }

            var credentials = password is not null && nickname is not null ? new ChatCredentials(nickname, password) : null;
            var client = new ChatClient(new ChatClientOptions { Server = options.Server, Nickname = nickname, UserKey = options.UserKey, Credentials = credentials });
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

                // A password from a script (stdin, $CHAT_PASSWORD) that does not sign in will not improve by asking.
                if (answers is null || (credentials is not null && options.Password is not null))
                {
                    await errors.WriteLineAsync(ex.Message);
                    return null;
                }

                screen.Show(ChatFormatter.Error(ex.Message));
                if (ex.Failure is ConnectFailure.SignInRefused or ConnectFailure.Throttled)
                {
                    askPassword = true;
                    continue;
                }

                password = null;
                if (credentials is null && nickname is not null && BelongsToAccount(ex.Message))
                {
                    // Empty: not this account's owner after all.
                    password = await AskPasswordAsync(nickname, answers, orAnotherNickname: true, cancellationToken);
                    if (password is not null)
                    {
                        continue;
                    }
                }

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

    /// <summary>Whether the server refused a guest's nickname because an account holds it (its sentence says "registered").</summary>
    private static bool BelongsToAccount(string refusal) => refusal.Contains("registered", StringComparison.OrdinalIgnoreCase);

    /// <summary>The password typed at a hidden prompt; null when the input ends, or (with <paramref name="orAnotherNickname"/>) for an empty line.</summary>
    private async Task<string?> AskPasswordAsync(string username, ChannelReader<string> answers, bool orAnotherNickname, CancellationToken cancellationToken)
    {
        var prompt = orAnotherNickname ? $"Password for {username} (Enter to choose another nickname): " : $"Password for {username}: ";
        try
        {
            while (true)
            {
                hideNextAnswer?.Invoke();
                screen.ShowPrompt(StyledText.Of(prompt, TextStyle.Prompt));
                var answer = await answers.ReadAsync(cancellationToken);
                if (answer.Length > 0)
                {
                    return answer;
                }

                if (orAnotherNickname)
                {
                    return null;
                }
            }
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            return null;
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
