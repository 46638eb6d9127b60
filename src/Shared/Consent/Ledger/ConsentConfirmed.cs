namespace Messaging.Shared.Consent.Ledger;

/// <summary>The contact confirmed the pending request identified by RequestId.</summary>
public sealed record ConsentConfirmed(string EventId, string Purpose, DateTimeOffset OccurredAt, ConsentProof Proof, string RequestId)
    : ConsentEvent(EventId, Purpose, OccurredAt, Proof)
{
    public string RequestId { get; init; } = ConsentRequestId.Validate(RequestId, nameof(RequestId));
}
