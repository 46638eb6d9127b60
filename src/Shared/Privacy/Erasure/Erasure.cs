using Messaging.Shared.Workflows;
using static Messaging.Shared.Privacy.Erasure.ErasureEffect;
using static Messaging.Shared.Privacy.Erasure.ErasureInput;
using static Messaging.Shared.Privacy.Erasure.ErasureState;

namespace Messaging.Shared.Privacy.Erasure;

/// <summary>
/// Erasure (Art. 17 GDPR) as a decider: tombstone -> stop workflows -> tell the person (if asked) -> each store deletes
/// its rows, page by page -> shred the data key -> receipt. One effect is owed at a time and each state accepts only
/// the outcome of that effect, so a repeated or stray input changes nothing and the steps cannot run out of order.
/// The person is told before the rows that lead to them (profile, aliases) and the key are gone; the message this
/// sends is itself erased with the outbox afterwards.
/// </summary>
public static class Erasure
{
    public static ErasureState Initial { get; } = new NotStarted();

    public static Decider<ErasureInput, ErasureState, ErasureEffect> Decider { get; } = new(
        Initial,
        Decide,
        Evolve,
        IsTerminal,
        _ => null,
        at => new DeadlineReached(at),
        effect => effect.EffectId,
        EffectFailed);

    public static IReadOnlyList<ErasureEffect> Decide(ErasureState state, ErasureInput input) => Step(state, input).Effects;

    public static ErasureState Evolve(ErasureState state, ErasureInput input) => Step(state, input).State;

    public static bool IsTerminal(ErasureState state) => state is Completed or Failed;

    /// <summary>
    /// Telling the person is best-effort: a send that keeps failing is recorded and the erasure goes on. Any other step
    /// that keeps failing ends the erasure as failed, after one last effect that records why (the request turns
    /// "failed" with the step and reason in its report, the audit chain notes it); the tombstone holds meanwhile. Only
    /// when that record cannot be written either does the instance fail in the host, for an operator.
    /// </summary>
    public static ErasureInput? EffectFailed(ErasureEffect effect, string reason, DateTimeOffset at) => effect switch
    {
        NotifyContact => new ContactNotified("failed:" + reason, at),
        RecordFailure => null,
        _ => new StepFailed(StepOf(effect), reason, at),
    };

    public static ErasureProgress? Progress(ErasureState state) => state switch
    {
        Tombstoning s => s.Progress,
        StoppingWorkflows s => s.Progress,
        Notifying s => s.Progress,
        Deleting s => s.Progress,
        Shredding s => s.Progress,
        WritingReceipt s => s.Progress,
        Completed s => s.Progress,
        RecordingFailure s => s.Progress,
        Failed s => s.Progress,
        _ => null,
    };

    public static string EffectIdOf(string requestId, string step) => $"erasure:{requestId}:{step}";

    /// <summary>The step an effect runs ("tombstone", "delete:messages:3", ...): its id without the request.</summary>
    public static string StepOf(ErasureEffect effect)
    {
        ArgumentNullException.ThrowIfNull(effect);
        var prefix = EffectIdOf(effect.RequestId, "");
        return effect.EffectId.StartsWith(prefix, StringComparison.Ordinal) ? effect.EffectId[prefix.Length..] : effect.EffectId;
    }

    private static (ErasureState State, IReadOnlyList<ErasureEffect> Effects) Step(ErasureState state, ErasureInput input)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        return (state, input) switch
        {
            (NotStarted, Requested r) => Start(r),
            (Tombstoning s, Tombstoned) => (new StoppingWorkflows(s.Progress), [new StopWorkflows(Id(s.Progress, "stop-workflows"), s.Progress.RequestId, s.Progress.ContactKey)]),
            (StoppingWorkflows s, WorkflowsStopped w) => AfterWorkflows(s.Progress with { Report = s.Progress.Report with { WorkflowInstances = w.Instances } }),
            (Notifying s, ContactNotified n) => Delete(s.Progress with { Report = s.Progress.Report with { Notification = n.Outcome } }, ErasureStores.Order[0], 0),
            (Deleting s, StoreCleared c) when c.Store == s.Store && c.Page == s.Page => Cleared(s, c),
            (Shredding s, KeyShredded) => Receipt(s.Progress with { Report = s.Progress.Report with { KeyShredded = true } }),
            (WritingReceipt s, ReceiptWritten w) => (new Completed(s.Progress, w.At), []),
            (RecordingFailure s, FailureRecorded f) => (new Failed(s.Progress, s.Step, s.Reason, f.At), []),
            (RecordingFailure or Completed or Failed or NotStarted, StepFailed) => (state, []),
            (_, StepFailed f) when Progress(state) is { } progress => RecordFailed(progress, f),
            _ => (state, []),
        };
    }

    private static (ErasureState, IReadOnlyList<ErasureEffect>) Start(Requested r)
    {
        var progress = new ErasureProgress(r.RequestId, r.ContactKey, r.Channel, r.NotifyContact, r.At, ErasureReport.Empty);
        return (new Tombstoning(progress), [new Tombstone(Id(progress, "tombstone"), r.RequestId, r.ContactKey, r.Channel, r.At)]);
    }

    private static (ErasureState, IReadOnlyList<ErasureEffect>) AfterWorkflows(ErasureProgress progress) =>
        progress.NotifyContact
            ? (new Notifying(progress), [new NotifyContact(Id(progress, "notify"), progress.RequestId, progress.ContactKey)])
            : Delete(progress, ErasureStores.Order[0], 0);

    private static (ErasureState, IReadOnlyList<ErasureEffect>) Cleared(Deleting s, StoreCleared c)
    {
        var progress = s.Progress with { Report = s.Progress.Report.Add(c.Store, c.Removed) };
        if (c.More)
        {
            return Delete(progress, c.Store, c.Page + 1);
        }

        return ErasureStores.After(c.Store) is { } next
            ? Delete(progress, next, 0)
            : (new Shredding(progress), [new ShredKey(Id(progress, "shred-key"), progress.RequestId, progress.ContactKey)]);
    }

    private static (ErasureState, IReadOnlyList<ErasureEffect>) Delete(ErasureProgress progress, string store, int page) =>
        (new Deleting(progress, store, page), [new DeleteRows(Id(progress, $"delete:{store}:{page}"), progress.RequestId, progress.ContactKey, store, page)]);

    private static (ErasureState, IReadOnlyList<ErasureEffect>) Receipt(ErasureProgress progress) =>
        (new WritingReceipt(progress), [new WriteReceipt(Id(progress, "receipt"), progress.RequestId, progress.ContactKey, progress.Report)]);

    private static (ErasureState, IReadOnlyList<ErasureEffect>) RecordFailed(ErasureProgress progress, StepFailed f) =>
        (new RecordingFailure(progress, f.Step, f.Reason),
            [new RecordFailure(Id(progress, "record-failure"), progress.RequestId, progress.ContactKey, f.Step, f.Reason, progress.Report)]);

    private static string Id(ErasureProgress progress, string step) => EffectIdOf(progress.RequestId, step);
}
