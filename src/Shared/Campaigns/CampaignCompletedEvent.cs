using Messaging.Shared.Events;

namespace Messaging.Shared.Campaigns;

/// <summary>
/// <c>campaign.completed</c>, announced when a campaign's last page is answered: the campaign id and counts only (sent,
/// skipped and failed by reason or Meta code), nothing about a person. It has an outbox partition of its own,
/// <c>campaign-{id}</c>, as it belongs to no contact.
/// </summary>
public sealed record CampaignCompletedEvent(string Partition, string ChangeId, DateTimeOffset At, IReadOnlyDictionary<string, object?> Data)
{
    public static CampaignCompletedEvent? Of(CampaignSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Status != "completed")
        {
            return null;
        }

        var data = new Dictionary<string, object?>
        {
            ["campaignId"] = snapshot.CampaignId,
            ["eligible"] = snapshot.Eligible,
            ["sent"] = snapshot.Tally.Sent,
            ["skipped"] = snapshot.Tally.Skipped,
            ["failed"] = snapshot.Tally.Failed,
            ["startedAt"] = snapshot.StartedAt,
            ["finishedAt"] = snapshot.FinishedAt,
        };
        return new("campaign-" + snapshot.CampaignId, "campaign-completed:" + snapshot.CampaignId, snapshot.FinishedAt ?? snapshot.At, data);
    }
}
