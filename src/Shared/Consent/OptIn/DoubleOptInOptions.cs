using System.ComponentModel.DataAnnotations;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>The confirmation template and how long a request waits for an answer (section <c>DoubleOptIn</c>).</summary>
public sealed class DoubleOptInOptions
{
    public const string Section = "DoubleOptIn";

    /// <summary>An approved template with two quick-reply buttons: index 0 confirms, index 1 declines.</summary>
    [Required(AllowEmptyStrings = false)]
    public string TemplateName { get; set; } = "marketing_optin_confirmation";

    [Required(AllowEmptyStrings = false)]
    public string TemplateLanguage { get; set; } = "de";

    public TimeSpan ConfirmationWindow { get; set; } = TimeSpan.FromHours(72);
}
