using Messaging.Functions.Workflows;
using Messaging.Shared.Consent.OptIn;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Messaging.Functions.Consent;

/// <summary>
/// The double opt-in on Durable Functions: the kernel's orchestrator shape over <see cref="DoubleOptIn"/>, and its
/// effects run by the executor LocalHost runs too. Instances are "doi-{requestId}" and carry contact keys only.
/// </summary>
public sealed class DoubleOptInFunctions(IServiceProvider services)
{
    [Function(DoubleOptInWorkflow.OrchestrationName)]
    public static Task<string> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        DeciderOrchestration.RunAsync(context, DoubleOptInWorkflow.Definition);

    [Function(DoubleOptInWorkflow.OrchestrationName + "Effect")]
    public Task<string?> EffectAsync([ActivityTrigger] string effect, CancellationToken cancellationToken) =>
        DoubleOptInWorkflow.Definition.ExecuteEffectAsync(services, effect, cancellationToken);
}
