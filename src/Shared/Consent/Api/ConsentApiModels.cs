using Messaging.Shared.Consent.Ledger;

namespace Messaging.Shared.Consent.Api;

/// <summary>A CRM asks for marketing consent of a phone number; the double opt-in confirms it in WhatsApp.</summary>
public sealed record OptInRequestBody(string? Phone, string? Purpose, string? Source, string? ConsentText, string? ConsentTextVersion);

public sealed record OptInAccepted(string RequestId, string ContactKey);

public sealed record ContactLookupBody(string? Phone);

public sealed record ContactKeyResponse(string ContactKey);

public sealed record ContactConsentResponse(string ContactKey, IReadOnlyList<PurposeConsent> Purposes);

public sealed record PurposeConsent(string Purpose, string Status, DateTimeOffset? ChangedAt, IReadOnlyList<ConsentProofEntry> Proof);
