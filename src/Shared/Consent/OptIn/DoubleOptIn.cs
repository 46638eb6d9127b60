using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Workflows;
using static Messaging.Shared.Consent.OptIn.DoubleOptInCommand;
using static Messaging.Shared.Consent.OptIn.DoubleOptInInput;
using static Messaging.Shared.Consent.OptIn.DoubleOptInState;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// The double opt-in workflow as a decider: a request made elsewhere is confirmed by the contact on WhatsApp before
/// it counts (BGH I ZR 164/09). Pure: time comes in with the inputs, ids are derived from the request id.
/// <list type="bullet">
/// <item>Only <see cref="DoubleOptInInput.Requested"/> starts it; a second request is ignored (one instance per request).</item>
/// <item>A reply counts only at or before the deadline; a reply after it closes the request as expired, so the
/// outcome does not depend on whether the reply or the timer reached the host first.</item>
/// <item>A STOP while open withdraws consent, even after the deadline: withdrawal is always honoured.</item>
/// <item>A delivery failure is terminal (<see cref="DoubleOptInState.Failed"/>) and closes the ledger's pending request
/// as expired. Transient errors are retried by the host's activity retry policy before it reports a failure; asking
/// again is a new request, because a re-sent confirmation should carry a fresh consent text and privacy notice.</item>
/// <item>Every input that does not move the state (a repeat, anything after a terminal state, an early timer) yields
/// no commands and the same state.</item>
/// </list>
/// </summary>
public static class DoubleOptIn
{
    public static DoubleOptInState Initial { get; } = new NotStarted();

    /// <summary>The decider as the workflow kernel runs it on either host.</summary>
    public static Decider<DoubleOptInInput, DoubleOptInState, DoubleOptInCommand> Decider { get; } = new(
        Initial,
        Decide,
        Evolve,
        IsTerminal,
        Deadline,
        at => new DeadlineReached(at),
        command => command.CommandId,
        EffectFailed);

    public static IReadOnlyList<DoubleOptInCommand> Decide(DoubleOptInState state, DoubleOptInInput input) => Step(state, input).Commands;

    public static DoubleOptInState Evolve(DoubleOptInState state, DoubleOptInInput input) => Step(state, input).State;

    public static bool IsTerminal(DoubleOptInState state) =>
        state is DoubleOptInState.Confirmed or DoubleOptInState.Declined or DoubleOptInState.Expired
            or DoubleOptInState.Withdrawn or DoubleOptInState.Failed;

    /// <summary>When the host must feed <see cref="DeadlineReached"/>; null when no deadline is pending.</summary>
    public static DateTimeOffset? Deadline(DoubleOptInState state) => state is AwaitingConfirmation awaiting ? awaiting.DueAt : null;

    /// <summary>How a finished opt-in ended; null while it runs.</summary>
    public static DoubleOptInOutcome? Outcome(DoubleOptInState state) => state switch
    {
        DoubleOptInState.Confirmed => DoubleOptInOutcome.Confirmed,
        DoubleOptInState.Declined => DoubleOptInOutcome.Declined,
        DoubleOptInState.Expired => DoubleOptInOutcome.Expired,
        DoubleOptInState.Withdrawn => DoubleOptInOutcome.Withdrawn,
        DoubleOptInState.Failed => DoubleOptInOutcome.Failed,
        _ => null,
    };

    /// <summary>
    /// A confirmation that still cannot be sent after the host's retries closes the request; a ledger append that
    /// keeps failing fails the instance instead, so an operator sees it (the ledger keeps the request pending).
    /// </summary>
    public static DoubleOptInInput? EffectFailed(DoubleOptInCommand command, string reason, DateTimeOffset at) =>
        command is SendConfirmationTemplate ? new ConfirmationFailed(reason, at) : null;

    /// <summary>Ledger event ids, e.g. "doi:r-1:confirmed": one event of each kind per request at most.</summary>
    private static string EventId(string requestId, string kind) => $"doi:{requestId}:{kind}";

    /// <summary>Command ids, e.g. "doi:r-1:send-confirmation": one command per step, and every step happens at most once.</summary>
    private static string CommandId(string requestId, string step) => $"doi:{requestId}:{step}";

    private static (DoubleOptInState State, IReadOnlyList<DoubleOptInCommand> Commands) Step(DoubleOptInState state, DoubleOptInInput input)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        return (state, input) switch
        {
            (NotStarted, Requested requested) => Start(requested),
            (AwaitingConfirmation awaiting, ConfirmationSent sent) when awaiting.SentAt is null =>
                (awaiting with { SentAt = sent.At, SentRef = sent.MessageRef }, []),
            (AwaitingConfirmation awaiting, ConfirmationFailed failed) => Fail(awaiting, failed),
            (AwaitingConfirmation awaiting, StopReceived stop) => Withdraw(awaiting, stop),
            (AwaitingConfirmation awaiting, ReplyReceived reply) when reply.At > awaiting.DueAt => Expire(awaiting),
            (AwaitingConfirmation awaiting, ReplyReceived reply) => Answer(awaiting, reply),
            (AwaitingConfirmation awaiting, DeadlineReached reached) when reached.At >= awaiting.DueAt => Expire(awaiting),
            _ => (state, []),
        };
    }

    private static (DoubleOptInState, IReadOnlyList<DoubleOptInCommand>) Start(Requested requested)
    {
        var dueAt = ConsentTime.Normalize(requested.At + requested.ConfirmationWindow);
        var rid = requested.RequestId;
        var awaiting = new AwaitingConfirmation(rid, requested.ContactKey, requested.Purpose, requested.Proof, dueAt, null, null);
        var appended = new ConsentRequested(EventId(rid, "requested"), requested.Purpose, requested.At, requested.Proof, rid);

        // The ledger must say Pending before the template goes out: SendPolicy allows the template only then.
        // The deadline needs no command: the host arms a timer for Deadline(state).
        return (awaiting,
        [
            new AppendConsentEvent(CommandId(rid, "append-requested"), requested.ContactKey, appended),
            new SendConfirmationTemplate(CommandId(rid, "send-confirmation"), rid, requested.ContactKey, requested.Purpose),
        ]);
    }

    private static (DoubleOptInState, IReadOnlyList<DoubleOptInCommand>) Answer(AwaitingConfirmation awaiting, ReplyReceived reply)
    {
        var proof = awaiting.Proof with
        {
            Source = ConsentSources.DoubleOptIn,
            Channel = ConsentChannels.WhatsApp,
            EvidenceRef = reply.EvidenceRef,
        };
        var rid = awaiting.RequestId;
        return reply.Kind switch
        {
            ReplyKind.Confirm => Finish(
                new DoubleOptInState.Confirmed(rid, awaiting.ContactKey, awaiting.Purpose, reply.At),
                awaiting,
                new ConsentConfirmed(EventId(rid, "confirmed"), awaiting.Purpose, reply.At, proof, rid)),
            ReplyKind.Decline => Finish(
                new DoubleOptInState.Declined(rid, awaiting.ContactKey, awaiting.Purpose, reply.At),
                awaiting,
                new ConsentDeclined(EventId(rid, "declined"), awaiting.Purpose, reply.At, proof, rid)),
            _ => throw new ArgumentOutOfRangeException(nameof(reply), reply.Kind, "Unknown reply kind."),
        };
    }

    private static (DoubleOptInState, IReadOnlyList<DoubleOptInCommand>) Withdraw(AwaitingConfirmation awaiting, StopReceived stop)
    {
        var proof = new ConsentProof(
            ConsentSources.WhatsAppKeyword, ConsentChannels.WhatsApp, null, null, awaiting.Proof.PrivacyNoticeVersion, stop.EvidenceRef);
        var rid = awaiting.RequestId;
        return Finish(
            new DoubleOptInState.Withdrawn(rid, awaiting.ContactKey, awaiting.Purpose, stop.At),
            awaiting,
            new ConsentWithdrawn(EventId(rid, "withdrawn"), awaiting.Purpose, stop.At, proof, WithdrawalReason.StopKeyword));
    }

    /// <summary>
    /// Expiry is recorded at the deadline itself, whichever input noticed it, so the ledger event is the same
    /// whether the timer or a late reply came first.
    /// </summary>
    private static (DoubleOptInState, IReadOnlyList<DoubleOptInCommand>) Expire(AwaitingConfirmation awaiting)
    {
        var rid = awaiting.RequestId;
        return Finish(
            new DoubleOptInState.Expired(rid, awaiting.ContactKey, awaiting.Purpose, awaiting.DueAt),
            awaiting,
            new ConsentExpired(EventId(rid, "expired"), awaiting.Purpose, awaiting.DueAt, ClosingProof(awaiting), rid));
    }

    private static (DoubleOptInState, IReadOnlyList<DoubleOptInCommand>) Fail(AwaitingConfirmation awaiting, ConfirmationFailed failed)
    {
        var rid = awaiting.RequestId;
        return Finish(
            new DoubleOptInState.Failed(rid, awaiting.ContactKey, awaiting.Purpose, failed.Reason, failed.At),
            awaiting,
            new ConsentExpired(EventId(rid, "expired"), awaiting.Purpose, failed.At, ClosingProof(awaiting), rid));
    }

    private static ConsentProof ClosingProof(AwaitingConfirmation awaiting) =>
        awaiting.Proof with { Source = ConsentSources.DoubleOptIn, Channel = ConsentChannels.WhatsApp, EvidenceRef = null };

    private static (DoubleOptInState, IReadOnlyList<DoubleOptInCommand>) Finish(
        DoubleOptInState terminal, AwaitingConfirmation awaiting, ConsentEvent appended) =>
        (terminal, [new AppendConsentEvent(CommandId(awaiting.RequestId, AppendStep(appended)), awaiting.ContactKey, appended)]);

    private static string AppendStep(ConsentEvent appended) => appended switch
    {
        ConsentConfirmed => "append-confirmed",
        ConsentDeclined => "append-declined",
        ConsentExpired => "append-expired",
        ConsentWithdrawn => "append-withdrawn",
        _ => throw new ArgumentOutOfRangeException(nameof(appended), appended.GetType().Name, "Not a closing event."),
    };
}
