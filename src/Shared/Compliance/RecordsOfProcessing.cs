namespace Messaging.Shared.Compliance;

/// <summary>
/// Art. 30 GDPR records of processing as this installation runs them: generated from its configuration on each request,
/// so the periods and measures shown are the ones in force. Retention periods are ISO 8601 durations.
/// </summary>
public sealed record RecordsOfProcessing(
    DateTimeOffset GeneratedAt,
    Controller Controller,
    IReadOnlyList<ProcessingPurpose> Purposes,
    IReadOnlyList<string> DataSubjects,
    IReadOnlyList<string> DataCategories,
    IReadOnlyList<Recipient> Recipients,
    IReadOnlyList<string> Transfers,
    IReadOnlyList<RetentionPeriod> Retention,
    IReadOnlyList<string> TechnicalAndOrganisationalMeasures);

/// <summary>The controller (and its data protection officer) from the Compliance:Controller settings.</summary>
public sealed record Controller(string Name, string? Address, string? Contact, string? DataProtectionOfficer);

public sealed record ProcessingPurpose(string Name, string LegalBasis, string Description);

public sealed record Recipient(string Name, string Role, string Service);

/// <summary>One configured period: the setting, its value (ISO 8601) and what it applies to.</summary>
public sealed record RetentionPeriod(string Setting, string Period, string AppliesTo);
