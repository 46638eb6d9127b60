namespace Messaging.Shared.Privacy;

/// <summary>Settings of data-subject rights ("DataSubject" section).</summary>
public sealed class DataSubjectOptions
{
    public const string Section = "DataSubject";

    /// <summary>What the person reads in WhatsApp when their erasure is done; free text, sent only inside the service window.</summary>
    public string ErasureNotice { get; set; } =
        "Ihre Daten wurden gelöscht. / Your data has been erased. Wir schreiben Ihnen nicht mehr, bis Sie uns erneut kontaktieren.";

    /// <summary>How long the consent proof is kept after erasure (Art. 17(3)(e) GDPR, § 195 BGB).</summary>
    public TimeSpan ProofRetention { get; set; } = TimeSpan.FromDays(3 * 365);

    public TimeSpan ExportRetention { get; set; } = TimeSpan.FromDays(7);
}
