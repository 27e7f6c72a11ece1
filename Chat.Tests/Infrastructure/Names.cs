namespace Chat.Tests.Infrastructure;

/// <summary>Unique room and user names, so tests sharing a server never see each other.</summary>
public static class Names
{
    private static int _counter;

    public static string Room(string hint = "room") => $"{hint}-{Next()}";

    public static string User(string hint = "user") => $"{hint}{Next()}";

    private static string Next() => $"{Environment.ProcessId % 1000}x{Interlocked.Increment(ref _counter)}";
}
