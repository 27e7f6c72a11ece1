namespace Chat.Tests.Infrastructure;

/// <summary>Where the repository and the built server are, found from the test assembly's location.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whatever the tests themselves were built as.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string ServerAssembly { get; } = Path.Combine(Root, "Chat.Server", "bin", Configuration, "net10.0", "Chat.Server.dll");

    /// <summary>The console client, started as its own process by the end-to-end console tests.</summary>
    public static string ConsoleClientAssembly { get; } = Path.Combine(Root, "Chat.Client.Console", "bin", Configuration, "net10.0", "Chat.Client.Console.dll");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SignalRChat.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SignalRChat.sln above {AppContext.BaseDirectory}.");
    }
}
