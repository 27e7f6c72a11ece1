using Chat.Tests.Scaleout;

namespace Chat.Tests.Admin;

/// <summary>Two nodes with the admin screen enabled, sharing Redis and PostgreSQL.</summary>
public sealed class AdminClusterFixture : ClusterFixture
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Chat:Admin:Enabled"] = "true",
    };
}
