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
}
