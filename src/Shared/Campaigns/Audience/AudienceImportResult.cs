using Messaging.Shared.Campaigns.Api;

namespace Messaging.Shared.Campaigns.Audience;

/// <summary>What an audience upload came to; nothing is stored unless it is <see cref="Imported"/>.</summary>
public abstract record AudienceImportResult
{
    private AudienceImportResult()
    {
    }

    public sealed record Imported(CampaignCreated Counts) : AudienceImportResult;

    public sealed record NotFound : AudienceImportResult;

    public sealed record NotDraft(string Status) : AudienceImportResult;

    /// <summary>The file as a whole cannot be used (no phone column, template mismatch, no rows); <paramref name="Field"/> says where.</summary>
    public sealed record Invalid(string Field, string Problem) : AudienceImportResult;

    /// <summary>Rows that cannot be imported: the first <see cref="AudienceImport.MaxListedErrors"/> listed, all counted.</summary>
    public sealed record BadRows(IReadOnlyList<CsvRowError> Errors, int ErrorCount) : AudienceImportResult;

    public sealed record TooLarge(string Problem) : AudienceImportResult;
}
