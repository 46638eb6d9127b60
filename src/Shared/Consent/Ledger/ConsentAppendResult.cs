namespace Messaging.Shared.Consent.Ledger;

/// <summary>Whether an append changed the ledger, and the head afterwards.</summary>
public sealed record ConsentAppendResult(bool Appended, ConsentHead Head);
