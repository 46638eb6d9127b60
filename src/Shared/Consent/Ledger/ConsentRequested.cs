namespace Messaging.Shared.Consent.Ledger;

/// <summary>A consent request was made (e.g. a double opt-in started); consent is pending until that request is answered.</summary>
public sealed record ConsentRequested(string EventId, string Purpose, DateTimeOffset OccurredAt, ConsentProof Proof, string RequestId)
    : ConsentEvent(EventId, Purpose, OccurredAt, Proof)
{
    public string RequestId { get; init; } = ConsentRequestId.Validate(RequestId, nameof(RequestId));
}
