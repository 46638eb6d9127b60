using System.Text;
using Messaging.Shared.Campaigns.Api;
using Messaging.Shared.Campaigns.Templates;
using Messaging.Shared.Consent.Keywords;
using Messaging.Shared.Contacts;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Campaigns.Audience;

/// <summary>
/// <c>POST /api/campaigns/{id}/audience</c> with <c>text/csv</c>: a <c>phone</c> column and one column per body
/// parameter of the template, in the order of the template's placeholders ({{1}}, {{2}}, …).
/// <list type="bullet">
/// <item>All or nothing: the whole file is read and checked first; one bad row and nothing is stored.</item>
/// <item>Only a draft's audience can be replaced. The new snapshot is written under an id derived from the file's
/// content, so an upload retried after a crash writes the same pages, and a different file never mixes with them.</item>
/// <item>Streamed with a size bound: the body is read once, never buffered whole; the rows are kept as contact
/// lookups need them.</item>
/// </list>
/// </summary>
public sealed class AudienceImport(
    CampaignStore store,
    CampaignRecipientStore recipients,
    MessageTemplateCatalog templates,
    CampaignAudienceSnapshot snapshot,
    IWorkflowHost workflows,
    IOptions<ConsentKeywordOptions> keywords,
    IOptions<CampaignOptions> options,
    IOptions<Configuration.MetaOptions> meta,
    TimeProvider time)
{
    public const int MaxListedErrors = 100;
    private const int MaxParameterLength = 1024;

    /// <exception cref="HttpRequestException">Graph could not be asked for the template.</exception>
    public async Task<AudienceImportResult> ImportAsync(string campaignId, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (await store.GetDefinitionAsync(campaignId, cancellationToken) is not { } definition)
        {
            return new AudienceImportResult.NotFound();
        }

        if ((await store.GetStatusAsync(campaignId, cancellationToken))?.Status is { } status && status != "draft")
        {
            return new AudienceImportResult.NotDraft(status);
        }

        var template = await templates.FindAsync(definition.Template, cancellationToken);
        await using var bounded = new BoundedHashingStream(body, options.Value.MaxAudienceCsvBytes);
        using var text = new StreamReader(bounded, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);
        var csv = new CsvRecordReader(text);
        List<(int Row, string Phone, string[] Parameters)> rows;
        var errors = new List<CsvRowError>();
        var errorCount = 0;
        try
        {
            if (await csv.ReadAsync(cancellationToken) is not { Malformed: null } header)
            {
                return new AudienceImportResult.Invalid("header", "The first row must be a header with a 'phone' column and one column per template parameter.");
            }

            var names = header.Fields.Select(f => f.Trim().TrimStart('\uFEFF')).ToArray();
            var phoneColumn = Array.FindIndex(names, n => string.Equals(n, "phone", StringComparison.OrdinalIgnoreCase));
            if (phoneColumn < 0)
            {
                return new AudienceImportResult.Invalid("header", "The header has no 'phone' column.");
            }

            var parameterColumns = Enumerable.Range(0, names.Length).Where(i => i != phoneColumn).ToArray();
            if (CampaignTemplateCheck.Problem(template, definition.Template, parameterColumns.Length, keywords.Value.EffectiveStop) is { } problem)
            {
                return new AudienceImportResult.Invalid("template", problem);
            }

            rows = [];
            while (await csv.ReadAsync(cancellationToken) is { } record)
            {
                if (rows.Count + errorCount >= options.Value.MaxAudienceRows)
                {
                    return new AudienceImportResult.TooLarge($"The CSV has more than {options.Value.MaxAudienceRows} rows.");
                }

                if (RowProblem(record, names, phoneColumn, parameterColumns) is { } reason)
                {
                    if (errorCount++ < MaxListedErrors)
                    {
                        errors.Add(new CsvRowError(record.Row, reason));
                    }

                    continue;
                }

                rows.Add((record.Row, E164.TryNormalize(record.Fields[phoneColumn])!, [.. parameterColumns.Select(i => record.Fields[i])]));
            }
        }
        catch (AudienceTooLargeException e)
        {
            return new AudienceImportResult.TooLarge(e.Message);
        }

        if (errorCount > 0)
        {
            return new AudienceImportResult.BadRows(errors, errorCount);
        }

        if (rows.Count == 0)
        {
            return new AudienceImportResult.Invalid("csv", "The CSV has a header but no rows.");
        }

        var keys = await snapshot.ResolvePhonesAsync([.. rows.Select(r => r.Phone)], cancellationToken);
        var taken = await snapshot.TakeAsync([.. rows.Select((r, i) => new CampaignAudienceSnapshot.Candidate(keys[i], r.Parameters))], definition.Purpose, template!.IsMarketing, cancellationToken);
        var audience = "a" + bounded.HashHex()[..12];
        await recipients.WriteAsync(campaignId, taken.Eligible, cancellationToken, audience);
        var plan = new CampaignPlan(campaignId, definition.Template, definition.Purpose, template.IsMarketing, CampaignRecipientStore.PageCount(taken.Eligible.Count), taken.Eligible.Count, audience,
            options.Value.PagesPerDispatch(meta.Value.MessagesPerSecond));
        await workflows.SignalAsync<CampaignInput>(CampaignWorkflow.Instance(campaignId), "audience:" + audience, new CampaignInput.AudienceReplaced(plan, time.GetUtcNow()), cancellationToken);
        await store.ReplaceDefinitionAsync(
            definition with { AudienceSize = taken.AudienceSize, Eligible = taken.Eligible.Count, Excluded = taken.Excluded, Audience = audience },
            cancellationToken);
        return new AudienceImportResult.Imported(new CampaignCreated(campaignId, "draft", taken.AudienceSize, taken.Eligible.Count, taken.Excluded));
    }

    private static string? RowProblem(CsvRecordReader.Record record, string[] names, int phoneColumn, int[] parameterColumns)
    {
        if (record.Malformed is { } malformed)
        {
            return $"cannot be read: {malformed}";
        }

        if (record.Fields.Count != names.Length)
        {
            return $"has {record.Fields.Count} field(s); the header has {names.Length}";
        }

        var phone = record.Fields[phoneColumn];
        if (string.IsNullOrWhiteSpace(phone))
        {
            return "'phone' is empty";
        }

        if (E164.TryNormalize(phone) is null)
        {
            return "'phone' is not a phone number in international format (e.g. +49 151 …)";
        }

        foreach (var column in parameterColumns)
        {
            var value = record.Fields[column];
            var name = Name(names[column], column);
            if (string.IsNullOrWhiteSpace(value))
            {
                return $"{name} is empty";
            }

            if (value.Length > MaxParameterLength)
            {
                return $"{name} is longer than {MaxParameterLength} characters";
            }

            // Meta refuses template parameters with line breaks, tabs or more than four spaces in a row.
            if (value.AsSpan().IndexOfAny('\r', '\n', '\t') >= 0 || value.Contains("     ", StringComparison.Ordinal))
            {
                return $"{name} contains a line break, a tab or more than four spaces in a row, which WhatsApp refuses in template parameters";
            }
        }

        return null;
    }

    private static string Name(string header, int column) =>
        header.Length is > 0 and <= 40 ? $"'{header}'" : $"column {column + 1}";
}
