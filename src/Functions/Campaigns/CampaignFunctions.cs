using Messaging.Functions.Workflows;
using Messaging.Shared.Campaigns;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Messaging.Functions.Campaigns;

/// <summary>
/// Campaigns on Durable Functions: the kernel's orchestrator shape over <see cref="Campaign"/>, and its page sends run
/// by the same <see cref="CampaignPageSender"/> LocalHost uses. Instances are "campaign-{campaignId}" and carry page
/// numbers and counts only; the recipients stay in the CampaignRecipients table.
/// </summary>
public sealed class CampaignFunctions(IServiceProvider services)
{
    [Function(CampaignWorkflow.OrchestrationName)]
    public static Task<string> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        DeciderOrchestration.RunAsync(context, CampaignWorkflow.Definition);

    [Function(CampaignWorkflow.OrchestrationName + "Effect")]
    public Task<string?> EffectAsync([ActivityTrigger] string effect, CancellationToken cancellationToken) =>
        CampaignWorkflow.Definition.ExecuteEffectAsync(services, effect, cancellationToken);
}
