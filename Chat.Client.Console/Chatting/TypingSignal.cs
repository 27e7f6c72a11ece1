namespace Chat.Client.Console.Chatting;

/// <summary>
/// Decides when the user's typing is worth telling the room: at most once per room every
/// <see cref="Interval"/>, the same pace the server passes notices on, and never for commands.
/// </summary>
internal sealed class TypingSignal(TimeSpan interval)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, DateTimeOffset> _lastSent = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public TimeSpan Interval { get; } = interval;

    public bool ShouldSend(string? room, string input, DateTimeOffset now)
    {
        var text = input.TrimStart();
        if (room is null || text.Length == 0 || (text.StartsWith('/') && !text.StartsWith("//", StringComparison.Ordinal)))
        {
            return false;
        }

        lock (_gate)
        {
            if (_lastSent.TryGetValue(room, out var last) && now - last < Interval)
            {
                return false;
            }

            _lastSent[room] = now;
            return true;
        }
    }
}
