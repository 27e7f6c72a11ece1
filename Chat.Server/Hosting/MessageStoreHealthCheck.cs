using Chat.Server.History;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.Server.Hosting;

/// <summary>Ready only while the message store answers a read within a few seconds.</summary>
internal sealed class MessageStoreHealthCheck(IMessageStore store) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetLastSeqAsync("health-probe", cancellationToken).WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy("The message store answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The message store does not answer.", ex);
        }
    }
}
