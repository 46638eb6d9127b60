using Messaging.Shared.Workflows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Messaging.Functions.Workflows;

/// <summary>
/// Applies a queued <see cref="WorkflowRequest"/> to Durable Functions with the invocation's client, and keeps the
/// workflow registry (so erasure finds a contact's instances without querying the task hub). Every branch is
/// idempotent: the queue delivers at least once.
/// </summary>
public sealed class DurableWorkflowDispatcher(WorkflowCatalog catalog, WorkflowRegistry registry, TimeProvider time)
{
    public async Task ApplyAsync(DurableTaskClient client, WorkflowRequest request, CancellationToken cancellationToken)
    {
        var instance = request.Instance;
        var definition = catalog.Get(instance.Kind);
        switch (request.Op)
        {
            case WorkflowRequest.Start:
                // The backend would replace a finished instance with the same id; a repeated start must change nothing.
                if (await client.GetInstanceAsync(instance.Id, false, cancellationToken) is null)
                {
                    await registry.RecordAsync(instance, WorkflowStatus.Running, time.GetUtcNow(), cancellationToken);
                    await client.ScheduleNewOrchestrationInstanceAsync(
                        definition.OrchestrationName, new WorkflowRun(WorkflowRequestJson(request), null, []).ToJson(), new StartOrchestrationOptions(instance.Id), cancellationToken);
                }

                break;
            case WorkflowRequest.Signal:
                // An instance that does not exist yet (its start is still queued) throws, so the message is retried.
                await client.RaiseEventAsync(instance.Id, DeciderOrchestration.SignalEvent, WorkflowRequestJson(request), cancellationToken);
                break;
            case WorkflowRequest.Terminate:
                if (await client.GetInstanceAsync(instance.Id, false, cancellationToken) is { IsRunning: true })
                {
                    await client.TerminateInstanceAsync(instance.Id, new TerminateInstanceOptions(request.Reason), cancellationToken);
                }

                await registry.RecordAsync(instance, WorkflowStatus.Terminated, time.GetUtcNow(), cancellationToken);
                break;
            case WorkflowRequest.Purge:
                await PurgeAsync(client, instance, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"Workflow request '{request.Op}' is not for Durable Functions.");
        }
    }

    private async Task PurgeAsync(DurableTaskClient client, WorkflowInstance instance, CancellationToken cancellationToken)
    {
        var metadata = await client.GetInstanceAsync(instance.Id, false, cancellationToken);
        if (metadata is { IsRunning: true } or { RuntimeStatus: OrchestrationRuntimeStatus.Pending })
        {
            // Only finished instances can be purged; terminate and let the redelivered request purge it.
            await client.TerminateInstanceAsync(instance.Id, new TerminateInstanceOptions("purge"), cancellationToken);
            throw new InvalidOperationException("The instance is still terminating; the purge is retried.");
        }

        if (metadata is not null)
        {
            await client.PurgeInstanceAsync(instance.Id, cancellationToken);
        }

        await registry.RemoveAsync(instance, cancellationToken);
    }

    private static string WorkflowRequestJson(WorkflowRequest request) => request.ToBinary().ToString();
}
