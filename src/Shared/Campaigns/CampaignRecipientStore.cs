using System.Text.Json;
using Azure.Data.Tables;
using Messaging.Shared.Contacts;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Campaigns;

/// <summary>The audience snapshot in the CampaignRecipients table, a page (entity group) at a time.</summary>
public sealed class CampaignRecipientStore(StorageClients storage, ContactKeyring keyring)
{
    /// <summary>An entity-group transaction holds at most 100 rows: one page is written in one go or not at all.</summary>
    public const int PageSize = 100;

    private const string ParametersField = "campaign-parameters";

    private TableClient Table => storage.Table(StorageNames.CampaignRecipientsTable);

    /// <param name="audience">null for the snapshot written at creation, else the uploaded audience's id.</param>
    public static string PagePartition(string campaignId, int page, string? audience = null) =>
        audience is null ? $"{campaignId}-p{page:D6}" : $"{campaignId}-{audience}-p{page:D6}";

    public static int PageCount(int recipients) => (recipients + PageSize - 1) / PageSize;

    /// <summary>Writes the snapshot page by page; writing the same snapshot again changes nothing that was already sent.</summary>
    public async Task WriteAsync(string campaignId, IReadOnlyList<CampaignRecipient> recipients, CancellationToken cancellationToken, string? audience = null)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        var pages = Enumerable.Range(0, PageCount(recipients.Count));
        await Parallel.ForEachAsync(pages, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (page, ct) =>
            await WritePageAsync(campaignId, page, recipients, audience, ct));
    }

    private async Task WritePageAsync(string campaignId, int page, IReadOnlyList<CampaignRecipient> recipients, string? audience, CancellationToken cancellationToken)
    {
        if (await ReadPageAsync(campaignId, page, cancellationToken, audience) is { Count: > 0 })
        {
            return;
        }

        var actions = new List<TableTransactionAction>();
        foreach (var recipient in recipients.Skip(page * PageSize).Take(PageSize))
        {
            var entity = new CampaignRecipientEntity
            {
                PartitionKey = PagePartition(campaignId, page, audience),
                RowKey = recipient.ContactKey,
                ParametersSealed = recipient.Parameters.Count == 0
                    ? null
                    : await keyring.SealAsync(recipient.ContactKey, ParametersField, JsonSerializer.Serialize(recipient.Parameters), cancellationToken),
            };
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, entity));
        }

        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            // A concurrent retry of the same create wrote this page first; the page is whole either way.
        }
    }

    public async Task<IReadOnlyList<CampaignRecipientEntity>> ReadPageAsync(string campaignId, int page, CancellationToken cancellationToken, string? audience = null)
    {
        var rows = new List<CampaignRecipientEntity>();
        var partition = PagePartition(campaignId, page, audience);
        await foreach (var row in Table.QueryAsync<CampaignRecipientEntity>(r => r.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>One recipient's row by its own keys (the queued lane's consumer reads it before sending); null when there is none.</summary>
    public async Task<CampaignRecipientEntity?> FindAsync(string partition, string contactKey, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<CampaignRecipientEntity>(partition, contactKey, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>The rows of one page partition as they stand now (the queued lane watches its sends land).</summary>
    public async Task<IReadOnlyList<CampaignRecipientEntity>> ReadPartitionAsync(string partition, CancellationToken cancellationToken)
    {
        var rows = new List<CampaignRecipientEntity>();
        await foreach (var row in Table.QueryAsync<CampaignRecipientEntity>(r => r.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    public async Task<IReadOnlyList<string>> OpenParametersAsync(CampaignRecipientEntity row, CancellationToken cancellationToken)
    {
        var json = await keyring.OpenAsync(row.ContactKey, ParametersField, row.ParametersSealed, cancellationToken);
        return json is null ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];
    }

    /// <summary>
    /// Records the outcomes of many recipients, a page (one partition, at most <see cref="PageSize"/> rows) per
    /// entity-group transaction instead of a write per row; the same rules as <see cref="SaveAsync"/>. A page whose
    /// batch fails because a row is gone (erasure swapped it meanwhile) is saved row by row.
    /// </summary>
    public async Task SaveAllAsync(IEnumerable<CampaignRecipientEntity> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var page in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in page.DistinctBy(r => r.RowKey, StringComparer.Ordinal).Chunk(PageSize))
            {
                if (chunk.Length == 1)
                {
                    await SaveAsync(chunk[0], cancellationToken);
                    continue;
                }

                try
                {
                    await Table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpdateReplace, r, Azure.ETag.All)), cancellationToken);
                }
                catch (TableTransactionFailedException e) when (e.Status == 404)
                {
                    foreach (var row in chunk)
                    {
                        await SaveAsync(row, cancellationToken);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Records a recipient's outcome. Last writer wins: a page runs one dispatch at a time, and the outbox decides what was
    /// sent. An update, not an upsert: a row that erasure swapped for an anonymous one meanwhile is not recreated.
    /// </summary>
    public async Task SaveAsync(CampaignRecipientEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(row, Azure.ETag.All, TableUpdateMode.Replace, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
        }
    }
}
