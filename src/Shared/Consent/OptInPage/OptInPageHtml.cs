using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Messaging.Shared.Consent.OptInPage;

/// <summary>
/// Renders the sign-up page and its result page as self-contained HTML: no scripts, no external resources, so it
/// works without JavaScript, loads nothing from third parties (no transfer of the visitor's IP) and can run under a
/// strict Content-Security-Policy. Every configured string is HTML-encoded, because settings are not markup.
/// </summary>
public static class OptInPageHtml
{
    private const string Stylesheet =
        "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;line-height:1.5;color:#1b1b1b;background:#fafaf7;margin:0}" +
        "main{max-width:36rem;margin:0 auto;padding:1.5rem 1rem 3rem}" +
        "h1{font-size:1.5rem;line-height:1.25}" +
        "nav{text-align:right}" +
        "a{color:#0b5c3b}" +
        "a:focus,button:focus,input:focus{outline:3px solid #e0a100;outline-offset:2px}" +
        ".consent{display:flex;gap:.75rem;align-items:flex-start;padding:1rem;border:2px solid #0b5c3b;border-radius:.5rem;background:#fff}" +
        ".consent input{width:1.5rem;height:1.5rem;margin:.125rem 0 0;flex:none}" +
        ".alert{padding:.75rem 1rem;border-left:.375rem solid #b00020;background:#fdecee;color:#5f0012}" +
        "button,.whatsapp{display:inline-block;margin-top:1rem;padding:.75rem 1.5rem;font-size:1.125rem;font-weight:600;border:0;border-radius:.5rem;background:#0b5c3b;color:#fff;text-decoration:none;cursor:pointer}" +
        ".code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.25rem;letter-spacing:.05em;font-weight:700}" +
        ".small{font-size:.9rem;color:#444}";

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>
    /// Everything from our own origin; the one inline stylesheet is allowed by its hash, so no inline script could run
    /// even if some markup slipped through encoding. No framing, no base rewriting, forms post only back to us.
    /// </summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'self'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Stylesheet)))}'; " +
        "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Headers every response of the page carries, on either host: the result holds a personal one-time code, so
    /// nothing is cached; the policy above; no MIME sniffing; no referrer leaking the page to wa.me.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; } =
    [
        new("Cache-Control", "no-store"),
        new("Content-Security-Policy", ContentSecurityPolicy),
        new("X-Content-Type-Options", "nosniff"),
        new("Referrer-Policy", "no-referrer"),
    ];

    /// <summary>The sign-up form; with <paramref name="consentMissing"/> it says why the last submission was refused.</summary>
    /// <param name="action">Path of the page itself, for the form and the language switch.</param>
    public static string Form(ConsentOptions consent, string language, string action, bool consentMissing)
    {
        ArgumentNullException.ThrowIfNull(consent);
        var t = OptInPageTexts.For(language);
        var html = Start(t, consent, action);
        html.Append("<p>").Append(E(Fill(t.Intro, consent.BusinessName))).Append("</p>\n");
        html.Append("<p>").Append(E(t.HowItWorks)).Append("</p>\n");
        html.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\">\n");
        html.Append("<input type=\"hidden\" name=\"lang\" value=\"").Append(E(t.Language)).Append("\">\n");
        if (consentMissing)
        {
            html.Append("<p class=\"alert\" role=\"alert\" id=\"consent-error\">").Append(E(t.ConsentMissing)).Append("</p>\n");
        }

        // Never pre-ticked (Art. 4(11), 7 GDPR; CJEU C-673/17 Planet49): the visitor's own tick is the consent.
        html.Append("<div class=\"consent\"><input type=\"checkbox\" id=\"consent\" name=\"consent\" value=\"on\"");
        if (consentMissing)
        {
            html.Append(" aria-invalid=\"true\" aria-describedby=\"consent-error\"");
        }

        html.Append("><label for=\"consent\">").Append(E(consent.MarketingConsentText(t.Language))).Append("</label></div>\n");
        html.Append("<p>").Append(E(t.Withdraw)).Append("</p>\n");
        AppendPrivacy(html, t, consent);
        html.Append("<p class=\"small\">").Append(E(t.Anonymous)).Append("</p>\n");
        html.Append("<button type=\"submit\">").Append(E(t.Submit)).Append("</button>\n</form>\n");
        return End(html);
    }

    /// <summary>After the tick: the wa.me link with the code prefilled, the code as text, and what happens next.</summary>
    public static string Result(ConsentOptions consent, OptInToken token, string action, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(consent);
        ArgumentNullException.ThrowIfNull(token);
        var t = OptInPageTexts.For(token.Language);
        var html = Start(t, consent, action);
        html.Append("<h2>").Append(E(t.ResultHeading)).Append("</h2>\n");
        html.Append("<p>").Append(E(t.ResultStep)).Append("</p>\n");
        html.Append("<p><a class=\"whatsapp\" rel=\"noopener noreferrer\" href=\"").Append(E(WhatsAppLink(consent, token).AbsoluteUri)).Append("\">")
            .Append(E(t.OpenWhatsApp)).Append("</a></p>\n");
        html.Append("<p>").Append(E(t.CodeLabel)).Append(" <span class=\"code\" id=\"code\">").Append(E(token.Code)).Append("</span></p>\n");
        html.Append("<p class=\"small\">").Append(E(Fill(t.Fallback, "+" + consent.BusinessPhoneNumber))).Append(' ')
            .Append(E(Validity(t, lifetime))).Append("</p>\n");
        html.Append("<p>").Append(E(t.Confirm)).Append("</p>\n");
        html.Append("<p>").Append(E(t.Withdraw)).Append("</p>\n");
        AppendPrivacy(html, t, consent);
        return End(html);
    }

    /// <summary>The message the customer sends us: the code, introduced in their language so the chat reads naturally.</summary>
    public static string PrefilledText(OptInToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Fill(OptInPageTexts.For(token.Language).Prefill, token.Code);
    }

    public static Uri WhatsAppLink(ConsentOptions consent, OptInToken token)
    {
        ArgumentNullException.ThrowIfNull(consent);
        return new Uri($"https://wa.me/{consent.BusinessPhoneNumber}?text={Uri.EscapeDataString(PrefilledText(token))}");
    }

    private static StringBuilder Start(OptInPageTexts t, ConsentOptions consent, string action)
    {
        var heading = Fill(t.Heading, consent.BusinessName);
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(t.Language).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(E(heading)).Append("</title>\n<style>").Append(Stylesheet).Append("</style>\n</head>\n<body>\n<main>\n");
        var other = OptInPageTexts.For(t.OtherLanguage);
        html.Append("<nav><a href=\"").Append(E(action + "?lang=" + other.Language)).Append("\" hreflang=\"").Append(other.Language)
            .Append("\" lang=\"").Append(other.Language).Append("\">").Append(E(t.OtherLanguageName)).Append("</a></nav>\n");
        html.Append("<h1>").Append(E(heading)).Append("</h1>\n");
        return html;
    }

    private static string End(StringBuilder html) => html.Append("</main>\n</body>\n</html>\n").ToString();

    private static void AppendPrivacy(StringBuilder html, OptInPageTexts t, ConsentOptions consent) =>
        html.Append("<p>").Append(E(t.PrivacyBefore)).Append("<a href=\"").Append(E(consent.PrivacyNoticeUrl.AbsoluteUri)).Append("\">")
            .Append(E(t.PrivacyLink)).Append("</a>").Append(E(t.PrivacyAfter)).Append("</p>\n");

    private static string Validity(OptInPageTexts t, TimeSpan lifetime) =>
        lifetime.TotalHours >= 1 && lifetime.TotalHours == Math.Floor(lifetime.TotalHours)
            ? Fill(t.ValidityHours, ((int)lifetime.TotalHours).ToString(CultureInfo.InvariantCulture))
            : Fill(t.ValidityMinutes, ((int)Math.Ceiling(lifetime.TotalMinutes)).ToString(CultureInfo.InvariantCulture));

    private static string Fill(string template, string value) => template.Replace("{0}", value, StringComparison.Ordinal);

    private static string E(string value) => Encoder.Encode(value);
}
