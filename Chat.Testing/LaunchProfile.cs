using System.Text.Json;

namespace Chat.Testing;

/// <summary>
/// The environment Chat.Server runs with: the variables of its launch profile
/// (<c>Chat.Server/Properties/launchSettings.json</c>, which <c>dotnet run --project Chat.Server</c> applies;
/// the Dockerfile and <c>scripts/cluster.sh</c> set the same). Runtime settings such as the GC's gen0
/// budget can only be given this way, so every launcher of the server applies them.
/// </summary>
public static class LaunchProfile
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Variables = new(() => Read(DefaultPath()));

    /// <summary>The repository's launch profile's environment variables.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentVariables => Variables.Value;

    /// <summary>
    /// The launch profile's variables changed by <paramref name="overrides"/>, where an empty value
    /// stands for "unset" (<see cref="ServerProcess.Start"/> removes such a variable).
    /// </summary>
    public static IReadOnlyDictionary<string, string> With(IEnumerable<KeyValuePair<string, string>> overrides)
    {
        var environment = new Dictionary<string, string>(EnvironmentVariables);
        foreach (var (name, value) in overrides)
        {
            environment[name] = value;
        }

        return environment;
    }

    public static string DefaultPath() => Path.Combine(BuildOutput.RepositoryRoot(), "Chat.Server", "Properties", "launchSettings.json");

    /// <summary>The environment variables of the first profile that runs the project itself.</summary>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        foreach (var profile in document.RootElement.GetProperty("profiles").EnumerateObject())
        {
            if (profile.Value.TryGetProperty("commandName", out var command) && command.GetString() == "Project")
            {
                return profile.Value.TryGetProperty("environmentVariables", out var variables)
                    ? variables.EnumerateObject().ToDictionary(variable => variable.Name, variable => variable.Value.GetString() ?? string.Empty)
                    : new Dictionary<string, string>();
            }
        }

        throw new InvalidDataException($"{path} has no profile with \"commandName\": \"Project\".");
    }
}
