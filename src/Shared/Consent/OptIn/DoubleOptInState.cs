using System.Text.Json.Serialization;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>Where a double opt-in stands. Terminal states keep only what identifies the request.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(DoubleOptInState.NotStarted), "notStarted")]
[JsonDerivedType(typeof(DoubleOptInState.AwaitingConfirmation), "awaitingConfirmation")]
[JsonDerivedType(typeof(DoubleOptInState.Confirmed), "confirmed")]
[JsonDerivedType(typeof(DoubleOptInState.Declined), "declined")]
[JsonDerivedType(typeof(DoubleOptInState.Expired), "expired")]
[JsonDerivedType(typeof(DoubleOptInState.Withdrawn), "withdrawn")]
[JsonDerivedType(typeof(DoubleOptInState.Failed), "failed")]
public abstract record DoubleOptInState
{
    private DoubleOptInState()
    {
    }

    public sealed record NotStarted : DoubleOptInState;

    /// <param name="DueAt">The last moment (inclusive) a confirmation counts; whole seconds, UTC.</param>
    /// <param name="SentAt">When the template was accepted by the Cloud API; null until then.</param>
    /// <param name="SentRef">Opaque reference to the sent template, if the host gave one.</param>
    public sealed record AwaitingConfirmation(
        string RequestId,
        string ContactKey,
        string Purpose,
        ConsentProof Proof,
        DateTimeOffset DueAt,
        DateTimeOffset? SentAt,
        string? SentRef) : DoubleOptInState;

    public sealed record Confirmed(string RequestId, string ContactKey, string Purpose, DateTimeOffset At) : DoubleOptInState;

    public sealed record Declined(string RequestId, string ContactKey, string Purpose, DateTimeOffset At) : DoubleOptInState;

    public sealed record Expired(string RequestId, string ContactKey, string Purpose, DateTimeOffset At) : DoubleOptInState;

    public sealed record Withdrawn(string RequestId, string ContactKey, string Purpose, DateTimeOffset At) : DoubleOptInState;

    /// <param name="Reason">The machine-readable failure code from <see cref="DoubleOptInInput.ConfirmationFailed"/>.</param>
    public sealed record Failed(string RequestId, string ContactKey, string Purpose, string Reason, DateTimeOffset At) : DoubleOptInState;
}
