namespace Messaging.Shared.Consent.Keywords;

/// <summary>
/// STOP and START keywords (section <c>Consent:Keywords</c>). Configuration binding appends configured array items to
/// an array that already has items, so the properties start empty and the defaults apply only while a list stays
/// empty: configuring a list replaces the defaults instead of extending them.
/// </summary>
public sealed class ConsentKeywordOptions
{
    public const string Section = "Consent:Keywords";

    public static IReadOnlyList<string> DefaultStop { get; } =
        ["STOP", "STOPP", "ABMELDEN", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "STOPALL", "OPTOUT", "STOP PROMOTIONS"];

    public static IReadOnlyList<string> DefaultStart { get; } = ["START", "ANMELDEN", "UNSTOP"];

    /// <summary>Words that withdraw consent (Art. 21 GDPR objection). Empty means <see cref="DefaultStop"/>.</summary>
    public string[] Stop { get; set; } = [];

    /// <summary>Words that grant consent again. Empty means <see cref="DefaultStart"/>.</summary>
    public string[] Start { get; set; } = [];

    public IReadOnlyList<string> EffectiveStop => Stop.Length == 0 ? DefaultStop : Stop;

    public IReadOnlyList<string> EffectiveStart => Start.Length == 0 ? DefaultStart : Start;
}
