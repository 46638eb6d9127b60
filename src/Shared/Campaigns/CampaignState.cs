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
    public abstract string Status { get; }

    public sealed record NotCreated : CampaignState
    {
        public override string Status => "none";
    }

    public sealed record Draft(CampaignPlan Plan, DateTimeOffset CreatedAt) : CampaignState
    {
        public override string Status => "draft";
    }

    public sealed record Scheduled(CampaignPlan Plan, DateTimeOffset SendAt) : CampaignState
    {
        public override string Status => "scheduled";
    }

    public sealed record Running(CampaignPlan Plan, CampaignProgress Progress) : CampaignState
    {
        public override string Status => "running";
    }

    public sealed record Paused(CampaignPlan Plan, CampaignProgress Progress, string Reason, DateTimeOffset At) : CampaignState
    {
        public override string Status => "paused";
    }

    public sealed record Completed(CampaignPlan Plan, CampaignProgress Progress, DateTimeOffset FinishedAt) : CampaignState
    {
        public override string Status => "completed";
    }

    public sealed record Cancelled(CampaignPlan Plan, CampaignProgress Progress, DateTimeOffset At) : CampaignState
    {
        public override string Status => "cancelled";
    }

    public sealed record Failed(CampaignPlan Plan, CampaignProgress Progress, string Reason, DateTimeOffset At) : CampaignState
    {
        public override string Status => "failed";
    }
}
