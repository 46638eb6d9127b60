namespace Messaging.Shared.Consent.OptInPage;

/// <summary>
/// What the opt-in page showed when the code was issued, handed to whoever starts the double opt-in once the
/// customer has sent the code. This is the web half of the consent proof; the WhatsApp half (who wrote, and the
/// confirmation) is added by the inbound handler.
/// </summary>
/// <param name="TokenId">Keyed hash of the code; safe as <see cref="ConsentProof.EvidenceRef"/>.</param>
/// <param name="Purpose">See <see cref="ConsentPurpose"/>.</param>
/// <param name="Language">"de" or "en".</param>
/// <param name="ConsentText">The exact wording next to the checkbox the visitor ticked.</param>
/// <param name="CreatedAt">When the box was ticked and the form submitted.</param>
/// <param name="RedeemedAt">When the code came back through WhatsApp.</param>
public sealed record OptInTokenRedemption(
    string TokenId,
    string Purpose,
    string Language,
    string ConsentText,
    string ConsentTextVersion,
    string PrivacyNoticeVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset RedeemedAt)
{
    /// <summary>The proof record for the ledger: sign-up on the web page, the wording and versions shown there, and the token as evidence.</summary>
    public ConsentProof ToProof() =>
        new(ConsentSources.OptInPage, ConsentChannels.Web, ConsentText, ConsentTextVersion, PrivacyNoticeVersion, TokenId);
}
