using Chat.Testing;

namespace Chat.Tests.Infrastructure;

/// <summary>
/// Where the repository and the built programs are: Chat.Testing's <see cref="BuildOutput"/>, in the
/// configuration (Debug or Release) the tests themselves were built as.
/// </summary>
public static class RepositoryPaths
{
    public static string Root { get; } = BuildOutput.RepositoryRoot();

    public static string ServerAssembly { get; } = BuildOutput.ProjectAssembly("Chat.Server");

    /// <summary>The console client, started as its own process by the end-to-end console tests.</summary>
    public static string ConsoleClientAssembly { get; } = BuildOutput.ProjectAssembly("Chat.Client.Console");
}
