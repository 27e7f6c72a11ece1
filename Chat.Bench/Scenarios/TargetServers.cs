using Chat.Bench.Load;
using Chat.Bench.Servers;
using Chat.Testing;

namespace Chat.Bench.Scenarios;

/// <summary>The servers behind <see cref="Against"/>, and starting one by its dialect.</summary>
public static class TargetServers
{
    /// <summary>The dialects to run, baseline first.</summary>
    public static IReadOnlyList<HubDialect> Of(Against against) => against switch
    {
        Against.Ours => [HubDialect.Ours],
        Against.Bare => [HubDialect.Bare],
        _ => [HubDialect.Bare, HubDialect.Ours],
    };

    public static Task<ServerProcess> StartAsync(this ServerLauncher launcher, HubDialect dialect, CancellationToken cancellationToken = default) =>
        dialect == HubDialect.Ours
            ? launcher.StartOursAsync(cancellationToken: cancellationToken)
            : launcher.StartBareAsync(cancellationToken: cancellationToken);
}
