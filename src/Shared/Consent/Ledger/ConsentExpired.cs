namespace Messaging.Shared.Consent.Ledger;

/// <summary>The pending request identified by RequestId was closed without confirmation (deadline passed, or the confirmation could not be delivered).</summary>
public sealed record ConsentExpired(string EventId, string Purpose, DateTimeOffset OccurredAt, ConsentProof Proof, string RequestId)
    : ConsentEvent(EventId, Purpose, OccurredAt, Proof)
{
    public string RequestId { get; init; } = ConsentRequestId.Validate(RequestId, nameof(RequestId));
}
