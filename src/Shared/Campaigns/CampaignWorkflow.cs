using System.Text.Json;
using Messaging.Shared.Workflows;

namespace Messaging.Shared.Campaigns;

/// <summary>The campaign on the workflow kernel: one instance per campaign, partitioned by the campaign id.</summary>
public static class CampaignWorkflow
{
    public const string Kind = "campaign";

    /// <summary>The Durable orchestration's name in Azure; its page sends run as "CampaignEffect".</summary>
    public const string OrchestrationName = "Campaign";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Pages are retried by the decider with Meta's back-off; the host only retries a page that threw (storage hiccups).</summary>
    public static WorkflowDefinition<CampaignInput, CampaignState, CampaignEffect> Definition { get; } =
        new(Kind, OrchestrationName, Campaign.Decider, Json, new WorkflowRetry(4, TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromSeconds(30)));

    public static WorkflowInstance Instance(string campaignId) => new(Kind, CampaignIds.Validate(campaignId), campaignId);
}
