namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// What the inbound side tells a running double opt-in: the customer confirmed, declined, or said STOP.
/// Plain data (it is raised as a Durable external event in Azure); the evidence is a keyed hash, never a wamid.
/// </summary>
public sealed record DoubleOptInSignal(string Kind, string EvidenceRef, DateTimeOffset At)
{
    public const string Confirm = "confirm";
    public const string Decline = "decline";
    public const string Stop = "stop";

    /// <summary>Stable per customer action, so a redelivered signal is applied once.</summary>
    public string InputId => $"{Kind}:{EvidenceRef}";

    public DoubleOptInInput ToInput() => Kind switch
    {
        Confirm => new DoubleOptInInput.ReplyReceived(ReplyKind.Confirm, EvidenceRef, At),
        Decline => new DoubleOptInInput.ReplyReceived(ReplyKind.Decline, EvidenceRef, At),
        Stop => new DoubleOptInInput.StopReceived(EvidenceRef, At),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown double opt-in signal."),
    };

    public static DoubleOptInSignal Reply(ReplyKind kind, string evidenceRef, DateTimeOffset at) =>
        new(kind == ReplyKind.Confirm ? Confirm : Decline, evidenceRef, at);
}
