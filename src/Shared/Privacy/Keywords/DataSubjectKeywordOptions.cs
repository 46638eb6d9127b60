namespace Messaging.Shared.Privacy.Keywords;

/// <summary>
/// Keywords that ask for erasure or access in WhatsApp (section <c>DataSubject:Keywords</c>). As with consent keywords,
/// a configured list replaces the defaults (binding would otherwise append to them).
/// </summary>
public sealed class DataSubjectKeywordOptions
{
    public const string Section = "DataSubject:Keywords";

    public static IReadOnlyList<string> DefaultErase { get; } = ["LÖSCHEN", "DELETE MY DATA"];

    public static IReadOnlyList<string> DefaultAccess { get; } = ["AUSKUNFT", "MY DATA"];

    public string[] Erase { get; set; } = [];

    public string[] Access { get; set; } = [];

    /// <summary>The question with its two buttons; a stray word deletes nothing until the person taps "yes".</summary>
    public string EraseQuestion { get; set; } =
        "Sollen wir alle Ihre Daten löschen? Danach schreiben wir Ihnen nicht mehr. / Shall we erase all your data? We will not message you again.";

    public string AccessQuestion { get; set; } =
        "Möchten Sie Auskunft über Ihre gespeicherten Daten (Art. 15 DSGVO)? / Would you like a copy of the data we hold about you?";

    public string Received { get; set; } =
        "Ihre Anfrage ist eingegangen; wir antworten innerhalb eines Monats. / We have received your request and will answer within one month.";

    public IReadOnlyList<string> EffectiveErase => Erase.Length == 0 ? DefaultErase : Erase;

    public IReadOnlyList<string> EffectiveAccess => Access.Length == 0 ? DefaultAccess : Access;
}
