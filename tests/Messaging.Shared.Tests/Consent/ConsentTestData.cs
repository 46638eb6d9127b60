using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.OptIn;

namespace Messaging.Shared.Tests.Consent;

/// <summary>Shared values for the consent tests; none of them resembles real personal data.</summary>
internal static class ConsentTestData
{
    public const string ContactKey = "ck-7f3a";
    public const string Marketing = ConsentPurpose.Marketing;

    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public static readonly ConsentProof WebProof = new(
        ConsentSources.OptInPage, ConsentChannels.Web, "Ja, ich möchte Angebote per WhatsApp erhalten.", "consent-v3", "privacy-2026-01", "token-91c2");

    public static readonly ConsentProof KeywordProof = new(
        ConsentSources.WhatsAppKeyword, ConsentChannels.WhatsApp, null, null, "privacy-2026-01", "hmac-wamid-01");

    public static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    public static DoubleOptInInput.Requested Request(string requestId = "r-1") =>
        new(requestId, ContactKey, Marketing, WebProof, T0, Window);

    public static ConsentRequested Requested(string requestId, int at, string? eventId = null) =>
        new(eventId ?? $"req-{requestId}", Marketing, At(at), WebProof, requestId);

    public static ConsentConfirmed Confirmed(string requestId, int at, string? eventId = null) =>
        new(eventId ?? $"conf-{requestId}", Marketing, At(at), WebProof with { Source = ConsentSources.DoubleOptIn }, requestId);

    public static ConsentDeclined Declined(string requestId, int at) =>
        new($"decl-{requestId}", Marketing, At(at), WebProof with { Source = ConsentSources.DoubleOptIn }, requestId);

    public static ConsentExpired Expired(string requestId, int at) =>
        new($"exp-{requestId}", Marketing, At(at), WebProof with { Source = ConsentSources.DoubleOptIn }, requestId);

    public static ConsentWithdrawn Withdrawn(int at, string eventId = "wd-1", WithdrawalReason reason = WithdrawalReason.StopKeyword) =>
        new(eventId, Marketing, At(at), KeywordProof, reason);

    public static ConsentGranted Granted(int at, string eventId = "gr-1") =>
        new(eventId, Marketing, At(at), KeywordProof);
}
