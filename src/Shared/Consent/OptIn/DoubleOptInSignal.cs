namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// The wire form of an answer to an open double opt-in, as a host raises it to a running workflow (a Durable
/// Functions external event in Azure). Flat and non-polymorphic on purpose: Durable's System.Text.Json keeps it
/// in the task hub and cannot round-trip a closed record hierarchy. Holds opaque references only.
/// </summary>
/// <param name="Kind"><see cref="Confirm"/>, <see cref="Decline"/> or <see cref="Stop"/>.</param>
/// <param name="EvidenceRef">A keyed hash of the answering message's wamid; never the number or the text.</param>
/// <param name="At">When the contact answered (the message's own timestamp, not when the host noticed).</param>
public sealed record DoubleOptInSignal(string Kind, string EvidenceRef, DateTimeOffset At)
{
    public const string Confirm = "confirm";
    public const string Decline = "decline";
    public const string Stop = "stop";

    /// <summary>The decider input this signal stands for.</summary>
    /// <exception cref="ArgumentException">The kind is not one of the three above.</exception>
    public DoubleOptInInput ToInput() => Kind switch
    {
        Confirm => new DoubleOptInInput.ReplyReceived(ReplyKind.Confirm, EvidenceRef, At),
        Decline => new DoubleOptInInput.ReplyReceived(ReplyKind.Decline, EvidenceRef, At),
        Stop => new DoubleOptInInput.StopReceived(EvidenceRef, At),
        _ => throw new ArgumentException($"Unknown double opt-in signal kind '{Kind}'.", nameof(Kind)),
    };

    public static DoubleOptInSignal ForReply(ReplyKind kind, string evidenceRef, DateTimeOffset at) => kind switch
    {
        ReplyKind.Confirm => new(Confirm, evidenceRef, at),
        ReplyKind.Decline => new(Decline, evidenceRef, at),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown reply kind."),
    };
}
