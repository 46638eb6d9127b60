namespace Messaging.Shared.Consent.Ledger;

/// <summary>The contact withdrew consent or objected (Art. 7(3), Art. 21(3) GDPR). Honoured from any state.</summary>
public sealed record ConsentWithdrawn(string EventId, string Purpose, DateTimeOffset OccurredAt, ConsentProof Proof, WithdrawalReason Reason)
    : ConsentEvent(EventId, Purpose, OccurredAt, Proof)
{
    public WithdrawalReason Reason { get; init; } = Enum.IsDefined(Reason) ? Reason : throw new ArgumentOutOfRangeException(nameof(Reason));
}
