namespace Messaging.Shared.Consent.Ledger;

/// <summary>Whether an append changed the ledger, the head it was judged against, and the head afterwards.</summary>
public sealed record ConsentAppendResult(bool Appended, ConsentHead Before, ConsentHead Head);
