using System.ComponentModel.DataAnnotations;

namespace Messaging.Shared.Consent;

/// <summary>
/// What the business tells people when it asks for consent (section <c>Consent</c>): the information Art. 13 GDPR
/// and Meta's opt-in policy require (business name, purpose, privacy notice, how to stop) and the exact consent
/// wording with its version, which every proof record references.
/// </summary>
public sealed class ConsentOptions
{
    public const string Section = "Consent";

    [Required(AllowEmptyStrings = false)]
    public string BusinessName { get; set; } = "";

    /// <summary>The WhatsApp number customers write to, digits only with country code (for wa.me links).</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[1-9][0-9]{7,14}$")]
    public string BusinessPhoneNumber { get; set; } = "";

    [Required]
    public Uri PrivacyNoticeUrl { get; set; } = new("https://example.invalid/privacy");

    [Required(AllowEmptyStrings = false)]
    public string PrivacyNoticeVersion { get; set; } = "";

    /// <summary>Version of the marketing consent wording below; bump it whenever a word changes.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConsentTextVersion { get; set; } = "";

    [Required(AllowEmptyStrings = false)]
    public string MarketingConsentTextDe { get; set; } = "";

    [Required(AllowEmptyStrings = false)]
    public string MarketingConsentTextEn { get; set; } = "";

    /// <summary>Answer to a contact's first message (Art. 13/21(4) GDPR). {business} and {privacyUrl} are filled in.</summary>
    public string PrivacyNoticeMessage { get; set; } =
        "{business}: Wir nutzen Ihre Nachrichten, um Ihr Anliegen zu bearbeiten. Datenschutzhinweise: {privacyUrl} . " +
        "Werbung senden wir nur mit Ihrer Einwilligung; mit STOP widersprechen Sie jederzeit. / " +
        "We use your messages to handle your request. Privacy notice: {privacyUrl} . We only send offers with your consent; reply STOP at any time.";

    public string StopConfirmationMessage { get; set; } =
        "{business}: Sie erhalten keine Werbung mehr. Mit START melden Sie sich wieder an. / You will no longer receive offers. Reply START to subscribe again.";

    public string StartConfirmationMessage { get; set; } =
        "{business}: Danke, Sie erhalten wieder Angebote. Mit STOP beenden Sie das jederzeit. / Thank you, you will receive offers again. Reply STOP at any time.";

    public string Render(string template) =>
        template.Replace("{business}", BusinessName, StringComparison.Ordinal).Replace("{privacyUrl}", PrivacyNoticeUrl.ToString(), StringComparison.Ordinal);

    public string MarketingConsentText(string language) => language == "en" ? MarketingConsentTextEn : MarketingConsentTextDe;
}
