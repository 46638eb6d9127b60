namespace Messaging.Shared.Privacy;

/// <summary>
/// Settings of data-subject rights ("DataSubject" section). The section's two retention periods,
/// <c>DataSubject:ExportRetention</c> and <c>DataSubject:ProofRetention</c>, are not here: they are read, validated and
/// reported with every other retention period in <see cref="Retention.RetentionOptions"/>, so the sweep, the exports and
/// the records of processing cannot disagree about them.
/// </summary>
public sealed class DataSubjectOptions
{
    public const string Section = "DataSubject";

    /// <summary>What the person reads in WhatsApp when their erasure is done; free text, sent only inside the service window.</summary>
    public string ErasureNotice { get; set; } =
        "Ihre Daten wurden gelöscht. / Your data has been erased. Wir schreiben Ihnen nicht mehr, bis Sie uns erneut kontaktieren.";
}
