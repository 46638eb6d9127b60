using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Messaging.Functions.Consent;

/// <summary>
/// Durable keeps every input, output and event payload of an instance until it is purged, and an orchestration
/// cannot purge itself. This removes finished instances (Completed, Failed, Terminated) daily at 03:30 UTC once
/// they are older than <c>DurableHistory:RetentionDays</c> (default 7). Running instances are never touched.
/// </summary>
public sealed class PurgeDurableHistory(TimeProvider time, IConfiguration configuration, ILogger<PurgeDurableHistory> logger)
{
    [Function(nameof(PurgeDurableHistory))]
    public async Task RunAsync([TimerTrigger("0 30 3 * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        var days = configuration.GetValue("DurableHistory:RetentionDays", 7);
        var filter = new PurgeInstancesFilter(
            CreatedFrom: DateTimeOffset.UnixEpoch,
            CreatedTo: time.GetUtcNow().AddDays(-days),
            Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]);
        var result = await client.PurgeAllInstancesAsync(filter, cancellationToken);
        logger.LogInformation("Purged {Count} finished Durable instances older than {Days} days", result.PurgedInstanceCount, days);
    }
}
