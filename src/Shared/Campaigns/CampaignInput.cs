using System.Text.Json.Serialization;

namespace Messaging.Shared.Campaigns;

/// <summary>
/// What happens to a campaign. Every input carries its time; none carries personal data (Durable keeps inputs in its
/// history), only the campaign id, page numbers, counts and reason codes.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(Created), "created")]
[JsonDerivedType(typeof(AudienceReplaced), "audienceReplaced")]
[JsonDerivedType(typeof(StartRequested), "startRequested")]
[JsonDerivedType(typeof(PauseRequested), "pauseRequested")]
[JsonDerivedType(typeof(ResumeRequested), "resumeRequested")]
[JsonDerivedType(typeof(CancelRequested), "cancelRequested")]
[JsonDerivedType(typeof(PageSent), "pageSent")]
[JsonDerivedType(typeof(PageFailed), "pageFailed")]
[JsonDerivedType(typeof(DeadlineReached), "deadlineReached")]
[JsonDerivedType(typeof(StatusNotRecorded), "statusNotRecorded")]
public abstract record CampaignInput
{
    private CampaignInput(DateTimeOffset at) => At = at;

    public DateTimeOffset At { get; init; }

    /// <summary>The audience snapshot is stored; the campaign is a draft.</summary>
    public sealed record Created(CampaignPlan Plan, DateTimeOffset At) : CampaignInput(At);

    /// <summary>A CSV upload replaced the draft's audience snapshot; ignored once the campaign left draft.</summary>
    public sealed record AudienceReplaced(CampaignPlan Plan, DateTimeOffset At) : CampaignInput(At);

    /// <summary>Start now, or at <paramref name="SendAt"/> when that is later.</summary>
    /// <param name="Plan">
    /// The audience as stored when start was pressed. Requests travel on a queue without order, so an audience uploaded
    /// just before may reach the workflow after the start; the start carries it so that it cannot be overtaken.
    /// </param>
    public sealed record StartRequested(DateTimeOffset? SendAt, DateTimeOffset At, CampaignPlan? Plan = null) : CampaignInput(At);

    /// <summary>An operator, a PAUSED/DISABLED template webhook or Meta's 132015 stops sending; the reason is shown.</summary>
    public sealed record PauseRequested(string Reason, DateTimeOffset At) : CampaignInput(At);

    public sealed record ResumeRequested(DateTimeOffset At) : CampaignInput(At);

    public sealed record CancelRequested(DateTimeOffset At) : CampaignInput(At);

    /// <summary>
    /// A page was worked through in dispatch <paramref name="Round"/>. <paramref name="Tally"/> counts the page's
    /// settled recipients (the whole page, not only this round), <paramref name="Pending"/> those still to be tried
    /// (throttled, pair rate, template paused). <paramref name="Throttled"/> reports 130429: Meta wants us slower.
    /// </summary>
    public sealed record PageSent(
        int Page,
        int Round,
        CampaignTally Tally,
        int Pending,
        bool Throttled,
        string? PauseReason,
        DateTimeOffset At) : CampaignInput(At);

    /// <summary>The page's effect still failed after the host's retries (storage down, a bug): pause, let an operator look.</summary>
    public sealed record PageFailed(int Round, string Reason, DateTimeOffset At) : CampaignInput(At);

    public sealed record DeadlineReached(DateTimeOffset At) : CampaignInput(At);

    /// <summary>The status row could not be written after the host's retries; changes nothing.</summary>
    public sealed record StatusNotRecorded(string Reason, DateTimeOffset At) : CampaignInput(At);
}
