using System.ComponentModel.DataAnnotations;

namespace Messaging.Shared.Consent.OptInPage;

/// <summary>Settings of the web sign-up page (section <c>OptInPage</c>).</summary>
public sealed class OptInPageOptions
{
    public const string Section = "OptInPage";

    /// <summary>
    /// How long a one-time code can start a double opt-in. Long enough to finish on another device the same day,
    /// short enough that a code found later in a browser history or screenshot is worthless.
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);
}
