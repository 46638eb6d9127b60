namespace Messaging.Shared.Consent;

/// <summary>
/// What a court or authority asks for to demonstrate consent (Art. 7(1) GDPR; BGH I ZR 164/09 requires each
/// individual consent to be documented): where and how it was expressed, the exact wording and privacy notice
/// version shown at the time, and a reference to the evidence. The timestamp lives on the event itself.
/// </summary>
/// <param name="Source">See <see cref="ConsentSources"/>.</param>
/// <param name="Channel">See <see cref="ConsentChannels"/>.</param>
/// <param name="ConsentText">Exact wording the contact agreed to; null where nothing was shown (e.g. a Meta-side stop).</param>
/// <param name="ConsentTextVersion">Version of that wording; null where not applicable.</param>
/// <param name="PrivacyNoticeVersion">Privacy notice version in force when the change happened; null where not applicable.</param>
/// <param name="EvidenceRef">
/// An opaque pointer to the evidence, e.g. a keyed hash (HMAC) of the confirming message's wamid or the id of an
/// opt-in token. It must NEVER be a phone number, wa_id, user id or message text: the ledger outlives erasure
/// (kept as proof under Art. 17(3)(e)), so it may only hold what is meaningless without our keys.
/// </param>
public sealed record ConsentProof(
    string Source,
    string Channel,
    string? ConsentText,
    string? ConsentTextVersion,
    string? PrivacyNoticeVersion,
    string? EvidenceRef)
{
    public string Source { get; init; } = RequireText(Source, nameof(Source));

    public string Channel { get; init; } = RequireText(Channel, nameof(Channel));

    private static string RequireText(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("Required.", name) : value;
}
