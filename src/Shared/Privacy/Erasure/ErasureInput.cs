using System.Text.Json.Serialization;

namespace Messaging.Shared.Privacy.Erasure;

/// <summary>
/// What happens to an erasure, fed to <see cref="Erasure"/> by its host. Inputs carry the contact key, counts and
/// reason codes only, never an identifier or text: Durable keeps them in its history after the contact is gone.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(Requested), "requested")]
[JsonDerivedType(typeof(Tombstoned), "tombstoned")]
[JsonDerivedType(typeof(WorkflowsStopped), "workflowsStopped")]
[JsonDerivedType(typeof(ContactNotified), "contactNotified")]
[JsonDerivedType(typeof(StoreCleared), "storeCleared")]
[JsonDerivedType(typeof(KeyShredded), "keyShredded")]
[JsonDerivedType(typeof(ReceiptWritten), "receiptWritten")]
[JsonDerivedType(typeof(DeadlineReached), "deadlineReached")]
[JsonDerivedType(typeof(StepFailed), "stepFailed")]
[JsonDerivedType(typeof(FailureRecorded), "failureRecorded")]
public abstract record ErasureInput
{
    private ErasureInput(DateTimeOffset at) => At = at;

    public DateTimeOffset At { get; init; }

    /// <param name="RequestId">The data-subject request this erasure answers (key-safe, no personal data).</param>
    /// <param name="Channel">How the request reached us ("whatsapp", "email", "web", "phone", "letter", "retention").</param>
    /// <param name="NotifyContact">Tell the person in WhatsApp when done, before the key that reaches them is shredded.</param>
    public sealed record Requested(string RequestId, string ContactKey, string Channel, bool NotifyContact, DateTimeOffset At) : ErasureInput(At)
    {
        public string RequestId { get; init; } = Required(RequestId, nameof(RequestId));

        public string ContactKey { get; init; } = Required(ContactKey, nameof(ContactKey));

        public string Channel { get; init; } = Required(Channel, nameof(Channel));
    }

    /// <summary>The contact is tombstoned: the gate refuses it, resolution creates nothing, late statuses are dropped.</summary>
    public sealed record Tombstoned(DateTimeOffset At) : ErasureInput(At);

    /// <summary>Every workflow instance of the contact was told to terminate and purge.</summary>
    public sealed record WorkflowsStopped(int Instances, DateTimeOffset At) : ErasureInput(At);

    /// <param name="Outcome">"sent", "skipped:window-closed", "skipped:unreachable" or "failed:{code}" (best-effort).</param>
    public sealed record ContactNotified(string Outcome, DateTimeOffset At) : ErasureInput(At);

    /// <summary>One page of a store's rows for the contact is gone; <paramref name="More"/> when rows remain.</summary>
    public sealed record StoreCleared(string Store, int Page, int Removed, bool More, DateTimeOffset At) : ErasureInput(At);

    public sealed record KeyShredded(DateTimeOffset At) : ErasureInput(At);

    /// <summary>Suppression entry and audit entry are written; the erasure is complete.</summary>
    public sealed record ReceiptWritten(DateTimeOffset At) : ErasureInput(At);

    /// <summary>The host gave up on a step after its retries (<see cref="Erasure.EffectFailed"/>).</summary>
    /// <param name="Step">The step, as in its effect id ("delete:messages:3").</param>
    /// <param name="Reason">A code such as "retries-exhausted:RequestFailedException"; never an exception message.</param>
    public sealed record StepFailed(string Step, string Reason, DateTimeOffset At) : ErasureInput(At);

    /// <summary>The failure is recorded on the request and in the audit chain; the erasure ends as failed.</summary>
    public sealed record FailureRecorded(DateTimeOffset At) : ErasureInput(At);

    /// <summary>Erasure arms no timers; the kernel requires the input and it changes nothing.</summary>
    public sealed record DeadlineReached(DateTimeOffset At) : ErasureInput(At);

    private static string Required(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("Required.", name) : value;
}
