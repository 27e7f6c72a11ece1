namespace Chat.Bench.Load;

/// <summary>The offered rate, shared by every sender and changed between steps (0 pauses them).</summary>
public sealed class SendRate
{
    private double _perSender;

    /// <summary>Messages per second each sender sends.</summary>
    public double PerSender
    {
        get => Volatile.Read(ref _perSender);
        set => Volatile.Write(ref _perSender, Math.Max(0, value));
    }
}
