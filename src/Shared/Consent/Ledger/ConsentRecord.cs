namespace Messaging.Shared.Consent.Ledger;

/// <summary>One purpose of a contact: its current state and every event that led there.</summary>
public sealed record ConsentRecord(ConsentHead Head, IReadOnlyList<ConsentProofEntry> Events);
