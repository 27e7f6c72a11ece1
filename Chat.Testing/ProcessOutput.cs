namespace Chat.Testing;

/// <summary>
/// The lines a child process printed on stdout and stderr, for failure messages and for waiting until
/// it prints something. One record can outlive a process, so a server restarted on the same port keeps
/// a single log. With <paramref name="keepLines"/> only the latest lines are kept.
/// </summary>
public sealed class ProcessOutput(int? keepLines = null)
{
    private readonly Queue<string> _lines = new();
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The kept lines, joined by newlines.</summary>
    public string Text
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource appended;
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (keepLines is { } limit && _lines.Count > limit)
            {
                _lines.Dequeue();
            }

            (appended, _appended) = (_appended, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        appended.TrySetResult();
    }

    /// <summary>Waits until <paramref name="text"/> has been printed; <paramref name="who"/> names the process in the timeout's message.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout, string who = "The process")
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task next;
            lock (_lines)
            {
                next = _appended.Task;
            }

            if (Text.Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{who} did not print \"{text}\" within {timeout}:\n{Text}");
            }
        }
    }

    public override string ToString() => Text;
}
