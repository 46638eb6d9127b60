using System.Text.Json.Serialization;

namespace Messaging.Shared.Privacy.Erasure;

/// <summary>Where an erasure stands: one state per step, each waiting for the outcome of the one effect it owes.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(NotStarted), "notStarted")]
[JsonDerivedType(typeof(Tombstoning), "tombstoning")]
[JsonDerivedType(typeof(StoppingWorkflows), "stoppingWorkflows")]
[JsonDerivedType(typeof(Notifying), "notifying")]
[JsonDerivedType(typeof(Deleting), "deleting")]
[JsonDerivedType(typeof(Shredding), "shredding")]
[JsonDerivedType(typeof(WritingReceipt), "writingReceipt")]
[JsonDerivedType(typeof(Completed), "completed")]
[JsonDerivedType(typeof(RecordingFailure), "recordingFailure")]
[JsonDerivedType(typeof(Failed), "failed")]
public abstract record ErasureState
{
    private ErasureState()
    {
    }

    public sealed record NotStarted : ErasureState;

    public sealed record Tombstoning(ErasureProgress Progress) : ErasureState;

    public sealed record StoppingWorkflows(ErasureProgress Progress) : ErasureState;

    public sealed record Notifying(ErasureProgress Progress) : ErasureState;

    public sealed record Deleting(ErasureProgress Progress, string Store, int Page) : ErasureState;

    public sealed record Shredding(ErasureProgress Progress) : ErasureState;

    public sealed record WritingReceipt(ErasureProgress Progress) : ErasureState;

    public sealed record Completed(ErasureProgress Progress, DateTimeOffset At) : ErasureState;

    /// <summary>A step kept failing: the failure is being recorded (request, audit) before the erasure ends.</summary>
    public sealed record RecordingFailure(ErasureProgress Progress, string Step, string Reason) : ErasureState;

    /// <summary>Ended without completing: <paramref name="Step"/> kept failing for <paramref name="Reason"/> (codes, no personal data).</summary>
    public sealed record Failed(ErasureProgress Progress, string Step, string Reason, DateTimeOffset At) : ErasureState;
}
