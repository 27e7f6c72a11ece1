using Chat.Server.History;

namespace Chat.Server.Hosting;

/// <summary>Creates or upgrades the store's schema before the server takes connections; flushes it on stop.</summary>
internal sealed class HistoryInitializer(IMessageStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => store.FlushAsync(cancellationToken);
}
