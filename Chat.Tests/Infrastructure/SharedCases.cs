using System.Text.Json;

namespace Chat.Tests.Infrastructure;

/// <summary>
/// A file of test cases under TestData/ that the page's unit tests read too, so a rule implemented in
/// both C# and JavaScript is held to the same cases: <c>{ "about": …, "cases": [{ "name": …, … }] }</c>.
/// </summary>
public sealed class SharedCases(string fileName)
{
    private readonly JsonElement _cases = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "TestData", fileName))).RootElement.GetProperty("cases");

    /// <summary>Every case's name, one theory row each.</summary>
    public TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var testCase in _cases.EnumerateArray())
        {
            names.Add(testCase.GetProperty("name").GetString()!);
        }

        return names;
    }

    public JsonElement this[string name] => _cases.EnumerateArray().Single(entry => entry.GetProperty("name").GetString() == name);
}
