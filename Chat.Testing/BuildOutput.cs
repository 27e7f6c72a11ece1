namespace Chat.Testing;

/// <summary>Where the built programs are: the configuration (Debug or Release) this code was built in, in the repository.</summary>
public static class BuildOutput
{
    /// <summary>Debug or Release: whatever this assembly was built as.</summary>
    public static string Configuration { get; } =
        typeof(BuildOutput).Assembly.Location.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>Chat.Server.dll: <paramref name="explicitPath"/> when given, else the repository's build of <see cref="Configuration"/>.</summary>
    public static string ServerAssembly(string? explicitPath = null)
    {
        var path = explicitPath is not null
            ? Path.GetFullPath(explicitPath)
            : ProjectAssembly("Chat.Server");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the server first (dotnet build -c {Configuration} Chat.Server) or pass --server-dll.");
    }

    /// <summary>Where the repository's build of <paramref name="project"/> in <see cref="Configuration"/> puts its dll (it may not exist yet).</summary>
    public static string ProjectAssembly(string project) =>
        Path.Combine(RepositoryRoot(), project, "bin", Configuration, "net10.0", project + ".dll");

    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "SignalRChat.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException($"No SignalRChat.sln above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}.");
    }
}
