using Messaging.Shared.Workflows;
using static Messaging.Shared.Campaigns.CampaignInput;
using static Messaging.Shared.Campaigns.CampaignState;

namespace Messaging.Shared.Campaigns;

/// <summary>
/// A template campaign as a decider. The decider drives pages of the audience snapshot, one dispatch at a time; the
/// recipients live in the CampaignRecipients table, and the page effect checks consent again for each of them at the
/// moment of sending and sends through the outbox under a per-campaign, per-recipient send id (never twice).
/// <list type="bullet">
/// <item>A page whose recipients are throttled (130429, 131056) is tried again after 4^attempt seconds, at most
/// <see cref="MaxPageAttempts"/> times; the last try counts what is still throttled as failed.</item>
/// <item>A page that reports the template paused (132015) pauses the campaign with that reason; resume tries it again.</item>
/// <item>A pause does not abandon the page in flight: its answer still counts, and the next page waits for resume.</item>
/// <item>Stale answers (an earlier round), repeats and anything after a terminal state change nothing.</item>
/// </list>
/// </summary>
public static class Campaign
{
    public const int MaxPageAttempts = 6;

    public const int MaxErrors = 3;

    public static CampaignState Initial { get; } = new NotCreated();

    public static Decider<CampaignInput, CampaignState, CampaignEffect> Decider { get; } = new(
        Initial,
        Decide,
        Evolve,
        IsTerminal,
        Deadline,
        at => new DeadlineReached(at),
        effect => effect.EffectId,
        EffectFailed);

    public static IReadOnlyList<CampaignEffect> Decide(CampaignState state, CampaignInput input) => Step(state, input).Effects;

    public static CampaignState Evolve(CampaignState state, CampaignInput input) => Step(state, input).State;

    public static bool IsTerminal(CampaignState state) => state is Completed or Cancelled or Failed;

    public static DateTimeOffset? Deadline(CampaignState state) => state switch
    {
        Scheduled scheduled => scheduled.SendAt,
        Running { Progress: { InFlight: false, RetryAt: { } retryAt } } => retryAt,
        _ => null,
    };

    public static CampaignInput? EffectFailed(CampaignEffect effect, string reason, DateTimeOffset at) =>
        effect switch
        {
            CampaignEffect.SendPage page => new PageFailed(page.Round, reason, at),
            // A status row that cannot be written is not worth stopping the sends for; the next change writes it.
            _ => new StatusNotRecorded(reason, at),
        };

    /// <summary>Meta's advice for pair-rate limits: 4^attempt seconds (4 s, 16 s, 64 s, …), capped at 15 minutes.</summary>
    public static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(Math.Pow(4, Math.Max(1, attempt)), 900));

    public static CampaignPlan? PlanOf(CampaignState state) => state switch
    {
        Draft d => d.Plan,
        Scheduled s => s.Plan,
        Running r => r.Plan,
        Paused p => p.Plan,
        Completed c => c.Plan,
        Cancelled c => c.Plan,
        Failed f => f.Plan,
        _ => null,
    };

    public static CampaignProgress ProgressOf(CampaignState state) => state switch
    {
        Running r => r.Progress,
        Paused p => p.Progress,
        Completed c => c.Progress,
        Cancelled c => c.Progress,
        Failed f => f.Progress,
        _ => CampaignProgress.NotStarted,
    };

    /// <summary>Every change of state is also published (first, so "running" shows before the page's sends).</summary>
    private static (CampaignState State, IReadOnlyList<CampaignEffect> Effects) Step(CampaignState state, CampaignInput input)
    {
        var (next, effects) = Transition(state, input);
        return ReferenceEquals(next, state) || CampaignSnapshot.Of(next, input.At) is not { } snapshot
            ? (next, effects)
            : (next, [new CampaignEffect.RecordStatus(snapshot), .. effects]);
    }

    private static (CampaignState State, IReadOnlyList<CampaignEffect> Effects) Transition(CampaignState state, CampaignInput input)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        return (state, input) switch
        {
            (NotCreated, Created created) => (new Draft(created.Plan, created.At), []),
            (Draft draft, AudienceReplaced replaced) when replaced.Plan.CampaignId == draft.Plan.CampaignId && replaced.Plan != draft.Plan =>
                (draft with { Plan = replaced.Plan }, []),
            (Draft draft, StartRequested start) when start.SendAt > start.At => (new Scheduled(PlanAtStart(draft, start), start.SendAt.Value), []),
            (Draft draft, StartRequested start) => Dispatch(PlanAtStart(draft, start), CampaignProgress.NotStarted, start.At),
            (Scheduled scheduled, DeadlineReached reached) when reached.At >= scheduled.SendAt => Dispatch(scheduled.Plan, CampaignProgress.NotStarted, reached.At),
            (Scheduled scheduled, PauseRequested pause) => (new Paused(scheduled.Plan, CampaignProgress.NotStarted, pause.Reason, pause.At), []),
            (Running running, PauseRequested pause) => (new Paused(running.Plan, running.Progress, pause.Reason, pause.At), []),
            (Paused { Progress.InFlight: true } paused, ResumeRequested) => (new Running(paused.Plan, paused.Progress), []),
            (Paused paused, ResumeRequested resume) => Dispatch(paused.Plan, paused.Progress, resume.At),
            (Draft draft, CancelRequested cancel) => (new Cancelled(draft.Plan, CampaignProgress.NotStarted, cancel.At), []),
            (Scheduled scheduled, CancelRequested cancel) => (new Cancelled(scheduled.Plan, CampaignProgress.NotStarted, cancel.At), []),
            (Running running, CancelRequested cancel) => (new Cancelled(running.Plan, running.Progress, cancel.At), []),
            (Paused paused, CancelRequested cancel) => (new Cancelled(paused.Plan, paused.Progress, cancel.At), []),
            (Running running, PageSent sent) when Answers(running.Progress, sent.Page, sent.Round) => PageAnswered(running.Plan, running.Progress, sent, null),
            (Paused paused, PageSent sent) when Answers(paused.Progress, sent.Page, sent.Round) => PageAnswered(paused.Plan, paused.Progress, sent, paused),
            (Running running, PageFailed failed) when Answers(running.Progress, running.Progress.NextPage, failed.Round) => PageError(running.Plan, running.Progress, failed),
            (Paused paused, PageFailed failed) when Answers(paused.Progress, paused.Progress.NextPage, failed.Round) => PageError(paused.Plan, paused.Progress, failed),
            (Running { Progress: { InFlight: false, RetryAt: { } retryAt } } running, DeadlineReached reached) when reached.At >= retryAt =>
                Dispatch(running.Plan, running.Progress, reached.At),
            _ => (state, []),
        };
    }

    private static CampaignPlan PlanAtStart(Draft draft, StartRequested start) =>
        start.Plan is { } plan && plan.CampaignId == draft.Plan.CampaignId ? plan : draft.Plan;

    private static bool Answers(CampaignProgress progress, int page, int round) => progress.InFlight && progress.Round == round && progress.NextPage == page;

    /// <summary>Sends the page the progress points at, or completes when there is none left.</summary>
    private static (CampaignState, IReadOnlyList<CampaignEffect>) Dispatch(CampaignPlan plan, CampaignProgress progress, DateTimeOffset at)
    {
        var started = progress with { StartedAt = progress.StartedAt ?? at };
        if (started.NextPage >= plan.PageCount)
        {
            return (new Completed(plan, started with { InFlight = false, RetryAt = null }, at), []);
        }

        var span = Math.Clamp(plan.PagesPerDispatch, 1, plan.PageCount - started.NextPage);
        var next = started with { Round = started.Round + 1, InFlight = true, RetryAt = null, Span = span };
        var send = new CampaignEffect.SendPage(
            plan.CampaignId, next.NextPage, next.Round, plan.Template, plan.Purpose, plan.Marketing, FinalAttempt: next.PageAttempt >= MaxPageAttempts - 1, plan.Audience, span);
        return (new Running(plan, next), [send]);
    }

    private static (CampaignState, IReadOnlyList<CampaignEffect>) PageAnswered(CampaignPlan plan, CampaignProgress progress, PageSent sent, Paused? paused)
    {
        var landed = progress with { InFlight = false, Errors = 0, Slowdowns = progress.Slowdowns + (sent.Throttled ? 1 : 0) };
        if (sent.PauseReason is { } reason)
        {
            return (new Paused(plan, landed, reason, sent.At), []);
        }

        if (sent.Pending > 0 && progress.PageAttempt < MaxPageAttempts - 1)
        {
            var attempt = progress.PageAttempt + 1;
            var waiting = landed with { PageAttempt = attempt, RetryAt = sent.At + Backoff(attempt) };
            return paused is null ? (new Running(plan, waiting), []) : (paused with { Progress = waiting }, []);
        }

        var done = landed with { NextPage = progress.NextPage + Math.Max(1, progress.Span), PageAttempt = 0, RetryAt = null, Tally = progress.Tally.Add(sent.Tally) };
        if (done.NextPage >= plan.PageCount)
        {
            return (new Completed(plan, done, sent.At), []);
        }

        return paused is null ? Dispatch(plan, done, sent.At) : (paused with { Progress = done }, []);
    }

    private static (CampaignState, IReadOnlyList<CampaignEffect>) PageError(CampaignPlan plan, CampaignProgress progress, PageFailed failed)
    {
        var landed = progress with { InFlight = false, Errors = progress.Errors + 1 };
        return landed.Errors >= MaxErrors
            ? (new Failed(plan, landed, "error:" + failed.Reason, failed.At), [])
            : (new Paused(plan, landed, "error:" + failed.Reason, failed.At), []);
    }
}
