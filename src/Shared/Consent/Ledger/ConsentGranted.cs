namespace Messaging.Shared.Consent.Ledger;

/// <summary>
/// Consent given directly, without a double opt-in request: a START keyword on WhatsApp, a Meta "resume", or a
/// grant the CRM can prove on its own. The proof's source says which.
/// </summary>
public sealed record ConsentGranted(string EventId, string Purpose, DateTimeOffset OccurredAt, ConsentProof Proof)
    : ConsentEvent(EventId, Purpose, OccurredAt, Proof);
