namespace Messaging.Shared.Consent.Ledger;

/// <summary>A stored ledger event as evidence: when, how, which wording and notice version, which evidence.</summary>
public sealed record ConsentProofEntry(
    string Kind,
    string EventId,
    DateTimeOffset OccurredAt,
    DateTimeOffset? RecordedAt,
    string Source,
    string Channel,
    string? ConsentText,
    string? ConsentTextVersion,
    string? PrivacyNoticeVersion,
    string? EvidenceRef,
    string? RequestId,
    string? Reason);
