using Messaging.Shared.Campaigns.Templates;
using Messaging.Shared.Consent.Keywords;

namespace Messaging.Shared.Campaigns;

/// <summary>
/// Whether a template may carry a campaign, checked before anything is stored or sent. Each problem is a sentence an
/// operator can act on.
/// <list type="bullet">
/// <item>It must exist in the requested language and be APPROVED.</item>
/// <item>The audience must supply exactly as many body parameters as the template has.</item>
/// <item>Art. 21(4) GDPR: a marketing template must show the recipient how to object, either a configured STOP
/// keyword in its text or Meta's marketing opt-out quick-reply button ("Stop promotions").</item>
/// </list>
/// </summary>
public static class CampaignTemplateCheck
{
    /// <returns>null when the template may be used; otherwise the problem.</returns>
    public static string? Problem(MessageTemplate? template, CampaignTemplateRef requested, int? suppliedParameters, IReadOnlyList<string> stopKeywords)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(stopKeywords);
        if (template is null)
        {
            return $"Template '{requested.Name}' does not exist in language '{requested.Language}'.";
        }

        if (!template.IsApproved)
        {
            return $"Template '{template.Name}' ({template.Language}) is {template.Status}, not APPROVED.";
        }

        if (suppliedParameters is { } supplied && supplied != template.BodyParameterCount)
        {
            return $"Template '{template.Name}' has {template.BodyParameterCount} body parameter(s), but the audience supplies {supplied}.";
        }

        if (template.IsMarketing && !CarriesObjection(template, stopKeywords))
        {
            return $"Template '{template.Name}' is a marketing template without a way to object (Art. 21(4) GDPR): add a STOP keyword to its text or Meta's marketing opt-out button.";
        }

        return null;
    }

    public static bool CarriesObjection(MessageTemplate template, IReadOnlyList<string> stopKeywords)
    {
        ArgumentNullException.ThrowIfNull(template);
        var texts = template.Components.Where(c => c.Text is not null).Select(c => c.Text!);
        var keywordInText = texts.Any(text => stopKeywords.Any(k => ContainsWord(text, k)));
        var optOutButton = template.Components
            .SelectMany(c => c.Buttons ?? [])
            .Any(b => string.Equals(b.Type, "QUICK_REPLY", StringComparison.OrdinalIgnoreCase)
                && stopKeywords.Any(k => string.Equals(b.Text.Trim(), k, StringComparison.OrdinalIgnoreCase)));
        return keywordInText || optOutButton;
    }

    /// <summary>"Reply STOP to unsubscribe" counts; "STOPPING" or "nonstop" does not.</summary>
    private static bool ContainsWord(string text, string keyword)
    {
        for (var at = text.IndexOf(keyword, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(keyword, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
            var end = at + keyword.Length;
            var after = end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (before && after)
            {
                return true;
            }
        }

        return false;
    }
}
