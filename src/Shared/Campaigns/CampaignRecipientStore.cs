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

    public static string PagePartition(string campaignId, int page) => $"{campaignId}-p{page:D6}";

    public static int PageCount(int recipients) => (recipients + PageSize - 1) / PageSize;

    /// <summary>Writes the snapshot page by page; writing the same snapshot again changes nothing that was already sent.</summary>
    public async Task WriteAsync(string campaignId, IReadOnlyList<CampaignRecipient> recipients, CancellationToken cancellationToken)
    {
        for (var page = 0; page * PageSize < recipients.Count; page++)
        {
            if (await ReadPageAsync(campaignId, page, cancellationToken) is { Count: > 0 })
            {
                continue;
            }

            var actions = new List<TableTransactionAction>();
            foreach (var recipient in recipients.Skip(page * PageSize).Take(PageSize))
            {
                var entity = new CampaignRecipientEntity
                {
                    PartitionKey = PagePartition(campaignId, page),
                    RowKey = recipient.ContactKey,
                    ParametersSealed = recipient.Parameters.Count == 0
                        ? null
                        : await keyring.SealAsync(recipient.ContactKey, ParametersField, JsonSerializer.Serialize(recipient.Parameters), cancellationToken),
                };
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, entity));
            }

            await Table.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<CampaignRecipientEntity>> ReadPageAsync(string campaignId, int page, CancellationToken cancellationToken)
    {
        var rows = new List<CampaignRecipientEntity>();
        var partition = PagePartition(campaignId, page);
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
