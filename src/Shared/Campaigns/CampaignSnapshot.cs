using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Messaging.Shared.Campaigns;

/// <summary>Where a campaign stands, as the API shows it; written by the decider's <see cref="CampaignEffect.RecordStatus"/>.</summary>
/// <param name="At">The time of the input that led here; a snapshot older than the stored one is not written.</param>
public sealed record CampaignSnapshot(
    string CampaignId,
    string Status,
    string? PausedReason,
    CampaignTally Tally,
    int Eligible,
    int PageCount,
    int PagesDone,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? SendAt,
    int Slowdowns,
    DateTimeOffset At)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, CampaignWorkflow.Json))))[..16];

    public static CampaignSnapshot? Of(CampaignState state, DateTimeOffset at)
    {
        if (Campaign.PlanOf(state) is not { } plan)
        {
            return null;
        }

        var progress = Campaign.ProgressOf(state);
        return new CampaignSnapshot(
            plan.CampaignId,
            state.Status,
            (state as CampaignState.Paused)?.Reason ?? (state as CampaignState.Failed)?.Reason,
            progress.Tally,
            plan.Eligible,
            plan.PageCount,
            progress.NextPage,
            progress.StartedAt,
            state switch
            {
                CampaignState.Completed c => c.FinishedAt,
                CampaignState.Cancelled c => c.At,
                CampaignState.Failed f => f.At,
                _ => null,
            },
            (state as CampaignState.Scheduled)?.SendAt,
            progress.Slowdowns,
            at);
    }
}
