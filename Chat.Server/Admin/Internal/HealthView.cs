using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.Server.Admin.Internal;

/// <summary>The store's and Redis's checks as the admin screen shows them.</summary>
internal sealed record HealthView(string Status, IReadOnlyList<HealthView.Check> Checks)
{
    public static HealthView Of(HealthReport report) => new(
        report.Status.ToString(),
        [.. report.Entries.Select(entry => new Check(entry.Key, entry.Value.Status.ToString(), entry.Value.Description))]);

    public sealed record Check(string Name, string Status, string? Description);
}
