namespace Chat.Bench.Scenarios;

/// <summary>Which servers a run measures.</summary>
public enum Against
{
    /// <summary>The bare hub first, then ours, with ours shown as ratios to it.</summary>
    Both,
    Ours,
    Bare,
}
