using System.Text.Json.Serialization;

namespace Messaging.Shared.Campaigns;

/// <summary>
/// Where a campaign stands: draft → scheduled → running ⇄ paused → completed, cancelled or failed. Every state after
/// creation keeps the plan; those that have begun keep the progress (no recipient is ever in here).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(NotCreated), "notCreated")]
[JsonDerivedType(typeof(Draft), "draft")]
[JsonDerivedType(typeof(Scheduled), "scheduled")]
[JsonDerivedType(typeof(Running), "running")]
[JsonDerivedType(typeof(Paused), "paused")]
[JsonDerivedType(typeof(Completed), "completed")]
[JsonDerivedType(typeof(Cancelled), "cancelled")]
[JsonDerivedType(typeof(Failed), "failed")]
public abstract record CampaignState
{
    private CampaignState()
    {
    }

    /// <summary>The status name the API shows.</summary>
    [JsonIgnore]
    public string Status => this switch
    {
        Draft => "draft",
        Scheduled => "scheduled",
        Running => "running",
        Paused => "paused",
        Completed => "completed",
        Cancelled => "cancelled",
        Failed => "failed",
        _ => "none",
    };

    public sealed record NotCreated : CampaignState;

    public sealed record Draft(CampaignPlan Plan, DateTimeOffset CreatedAt) : CampaignState;

    public sealed record Scheduled(CampaignPlan Plan, DateTimeOffset SendAt) : CampaignState;

    public sealed record Running(CampaignPlan Plan, CampaignProgress Progress) : CampaignState;

    public sealed record Paused(CampaignPlan Plan, CampaignProgress Progress, string Reason, DateTimeOffset At) : CampaignState;

    public sealed record Completed(CampaignPlan Plan, CampaignProgress Progress, DateTimeOffset FinishedAt) : CampaignState;

    public sealed record Cancelled(CampaignPlan Plan, CampaignProgress Progress, DateTimeOffset At) : CampaignState;

    public sealed record Failed(CampaignPlan Plan, CampaignProgress Progress, string Reason, DateTimeOffset At) : CampaignState;
}
