using Messaging.Functions.Workflows;
using Messaging.Shared.Privacy.Erasure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Messaging.Functions.Privacy;

/// <summary>
/// Erasure on Durable Functions: the kernel's orchestrator shape over <see cref="Erasure"/>, and its effects run by
/// the same runner LocalHost uses. Instances are "erasure-{requestId}" and carry contact keys and counts only.
/// </summary>
public sealed class ErasureFunctions(IServiceProvider services)
{
    [Function(ErasureWorkflow.OrchestrationName)]
    public static Task<string> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        DeciderOrchestration.RunAsync(context, ErasureWorkflow.Definition);

    [Function(ErasureWorkflow.OrchestrationName + "Effect")]
    public Task<string?> EffectAsync([ActivityTrigger] string effect, CancellationToken cancellationToken) =>
        ErasureWorkflow.Definition.ExecuteEffectAsync(services, effect, cancellationToken);
}
