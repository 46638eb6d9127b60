using System.Text.Json.Serialization;

namespace Messaging.Shared.Campaigns;

/// <summary>The effects a campaign owes: sending one page of its recipients, each through the consent gate and the outbox.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(SendPage), "sendPage")]
[JsonDerivedType(typeof(RecordStatus), "recordStatus")]
public abstract record CampaignEffect
{
    private CampaignEffect(string effectId) => EffectId = effectId;

    /// <summary>"campaign:{id}:page:{n}:round:{r}": one dispatch of one page; a redelivery runs the same dispatch.</summary>
    public string EffectId { get; init; }

    /// <param name="Round">Counts dispatches over the whole campaign, so a stale answer from an earlier dispatch is recognised.</param>
    /// <param name="FinalAttempt">The last try of this page: what is still throttled now counts as failed instead of pending.</param>
    /// <param name="Audience">The plan's snapshot (<see cref="CampaignPlan.Audience"/>).</param>
    /// <param name="Pages">Consecutive pages from <paramref name="Page"/> this dispatch sends.</param>
    public sealed record SendPage(string CampaignId, int Page, int Round, CampaignTemplateRef Template, string Purpose, bool Marketing, bool FinalAttempt, string? Audience = null, int Pages = 1)
        : CampaignEffect($"campaign:{CampaignId}:page:{Page}:round:{Round}");

    /// <summary>
    /// Publishes where the campaign stands to the Campaigns table, so both hosts' API reads one row. Its id names the
    /// snapshot's content and time, so each change is written once and a stale one never overwrites a newer one.
    /// </summary>
    public sealed record RecordStatus(CampaignSnapshot Snapshot) : CampaignEffect($"campaign:{Snapshot.CampaignId}:status:{Snapshot.Fingerprint}");
}
