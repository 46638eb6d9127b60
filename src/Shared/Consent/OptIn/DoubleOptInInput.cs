using System.Text.Json.Serialization;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// What happens to a double opt-in, fed to <see cref="DoubleOptIn"/> by its host. Every input carries the time it
/// happened; the decider has no clock. Inputs hold contact keys and opaque references, never personal data,
/// because hosts such as Durable Functions keep them in their history.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(DoubleOptInInput.Requested), "requested")]
[JsonDerivedType(typeof(DoubleOptInInput.ConfirmationSent), "confirmationSent")]
[JsonDerivedType(typeof(DoubleOptInInput.ConfirmationFailed), "confirmationFailed")]
[JsonDerivedType(typeof(DoubleOptInInput.ReplyReceived), "replyReceived")]
[JsonDerivedType(typeof(DoubleOptInInput.StopReceived), "stopReceived")]
[JsonDerivedType(typeof(DoubleOptInInput.DeadlineReached), "deadlineReached")]
public abstract record DoubleOptInInput
{
    private DoubleOptInInput(DateTimeOffset at) => At = at;

    public DateTimeOffset At { get; init; }

    /// <summary>Start a double opt-in for a consent expressed elsewhere (web form, CRM), to be confirmed on WhatsApp.</summary>
    /// <param name="RequestId">Unique per contact; see <see cref="ConsentRequestId"/>.</param>
    /// <param name="ContactKey">The contact key, never a phone number.</param>
    /// <param name="Purpose">See <see cref="ConsentPurpose"/>.</param>
    /// <param name="Proof">The proof of the original request: consent text, its version, privacy notice version, source.</param>
    /// <param name="At">When the request was made.</param>
    /// <param name="ConfirmationWindow">How long the contact has to confirm.</param>
    public sealed record Requested(
        string RequestId,
        string ContactKey,
        string Purpose,
        ConsentProof Proof,
        DateTimeOffset At,
        TimeSpan ConfirmationWindow) : DoubleOptInInput(At)
    {
        public string RequestId { get; init; } = ConsentRequestId.Validate(RequestId, nameof(RequestId));

        public string ContactKey { get; init; } =
            string.IsNullOrWhiteSpace(ContactKey) ? throw new ArgumentException("Required.", nameof(ContactKey)) : ContactKey;

        public string Purpose { get; init; } = ConsentPurpose.Validate(Purpose, nameof(Purpose));

        public ConsentProof Proof { get; init; } = Proof ?? throw new ArgumentNullException(nameof(Proof));

        public TimeSpan ConfirmationWindow { get; init; } =
            ConfirmationWindow > TimeSpan.Zero ? ConfirmationWindow : throw new ArgumentOutOfRangeException(nameof(ConfirmationWindow));
    }

    /// <summary>The confirmation template was accepted by the Cloud API.</summary>
    /// <param name="MessageRef">An opaque reference to the sent message (e.g. a keyed hash of its wamid), if any.</param>
    public sealed record ConfirmationSent(string? MessageRef, DateTimeOffset At) : DoubleOptInInput(At);

    /// <summary>The confirmation template could not be delivered, after the host's own retries of transient errors.</summary>
    /// <param name="Reason">A machine-readable code such as "meta-132001"; no personal data.</param>
    public sealed record ConfirmationFailed(string Reason, DateTimeOffset At) : DoubleOptInInput(At);

    /// <summary>The contact answered (see <see cref="DoubleOptInReplies.Classify"/>).</summary>
    /// <param name="EvidenceRef">A keyed hash of the reply's wamid; never the number or the text.</param>
    public sealed record ReplyReceived(ReplyKind Kind, string EvidenceRef, DateTimeOffset At) : DoubleOptInInput(At);

    /// <summary>The contact sent a STOP keyword while the request was open.</summary>
    /// <param name="EvidenceRef">A keyed hash of the STOP message's wamid; never the number or the text.</param>
    public sealed record StopReceived(string EvidenceRef, DateTimeOffset At) : DoubleOptInInput(At);

    /// <summary>The host's timer for <see cref="DoubleOptIn.Deadline"/> fired.</summary>
    public sealed record DeadlineReached(DateTimeOffset At) : DoubleOptInInput(At);
}
