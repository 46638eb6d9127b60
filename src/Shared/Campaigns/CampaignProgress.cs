namespace Messaging.Shared.Campaigns;

/// <summary>
/// How far a campaign got: the page being worked on, the dispatch round, whether a dispatch is in flight, when a
/// page with throttled recipients is tried again, and the tally of the pages finished so far.
/// </summary>
/// <param name="PageAttempt">Tries of <paramref name="NextPage"/> that left recipients pending; reset per page.</param>
/// <param name="Span">Pages of the dispatch in flight (from <see cref="CampaignProgress.NextPage"/>), answered as one.</param>
/// <param name="Errors">Dispatches that failed after the host's retries; at <see cref="Campaign.MaxErrors"/> the campaign fails.</param>
public sealed record CampaignProgress(
    int NextPage,
    int Round,
    int PageAttempt,
    bool InFlight,
    DateTimeOffset? RetryAt,
    CampaignTally Tally,
    DateTimeOffset? StartedAt,
    int Slowdowns,
    int Errors,
    int Span = 1)
{
    public static CampaignProgress NotStarted { get; } = new(0, 0, 0, false, null, CampaignTally.Empty, null, 0, 0);
}
