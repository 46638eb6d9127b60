using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Templates;

/// <summary>
/// The Templates table: one row per template (PartitionKey <c>template</c>, RowKey Meta's template id) and one per
/// business number (PartitionKey <c>phone-number</c>). Each aspect (status, category, quality, limit) carries the time
/// of the webhook that set it, and an older webhook never overwrites a newer one: Meta delivers late and twice.
/// </summary>
public sealed class TemplateStore(StorageClients storage, TimeProvider time)
{
    private const string TemplatePartition = "template";
    private const string NumberPartition = "phone-number";
    private readonly TableClient _table = storage.Table(StorageNames.TemplatesTable);

    public async Task<TemplateState> ApplyAsync(TemplateUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var rowKey = TableKeys.Sanitize(update.TemplateId);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(TemplatePartition, rowKey, cancellationToken: cancellationToken);
            var row = existing.HasValue ? existing.Value! : new TableEntity(TemplatePartition, rowKey) { ["TemplateId"] = update.TemplateId };
            var changed = !existing.HasValue;
            changed |= Set(row, "Name", update.Name);
            changed |= Set(row, "Language", update.Language);
            switch (update.Field)
            {
                case "message_template_status_update" when Newer(row, "StatusAt", update.At):
                    changed |= SetAll(row, "StatusAt", update.At, ("Status", update.Status), ("StatusReason", update.Reason));
                    changed |= Set(row, "Category", update.Category);
                    break;
                case "template_category_update" when Newer(row, "CategoryAt", update.At):
                    // Announced changes name the category to come (correct_category); completed ones the new one.
                    changed |= update.CorrectCategory is not null
                        ? SetAll(row, "CategoryAt", update.At, ("UpcomingCategory", update.CorrectCategory))
                        : SetAll(row, "CategoryAt", update.At, ("Category", update.Category), ("UpcomingCategory", null));
                    break;
                case "message_template_quality_update" when Newer(row, "QualityAt", update.At):
                    changed |= SetAll(row, "QualityAt", update.At, ("Quality", update.Quality));
                    break;
            }

            if (!changed)
            {
                return ToState(row);
            }

            row["UpdatedAt"] = time.GetUtcNow();
            try
            {
                if (existing.HasValue)
                {
                    await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await _table.AddEntityAsync(row, cancellationToken);
                }

                return ToState(row);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 10)
            {
                // Another update of the same template landed first; read it again.
            }
        }
    }

    public async Task<TemplateState?> GetAsync(string templateId, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(TemplatePartition, TableKeys.Sanitize(templateId), cancellationToken: cancellationToken);
        return row.HasValue ? ToState(row.Value!) : null;
    }

    /// <summary>Every template a webhook told us about (a business account has tens to hundreds of them).</summary>
    public async Task<IReadOnlyList<TemplateState>> ListAsync(CancellationToken cancellationToken)
    {
        var list = new List<TemplateState>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == TemplatePartition, cancellationToken: cancellationToken))
        {
            list.Add(ToState(row));
        }

        return list;
    }

    /// <summary>Records a business number's messaging limit, unless a newer webhook already did.</summary>
    public async Task ApplyAsync(PhoneNumberQualityUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var rowKey = TableKeys.Sanitize(update.DisplayPhoneNumber);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(NumberPartition, rowKey, cancellationToken: cancellationToken);
            var row = existing.HasValue ? existing.Value! : new TableEntity(NumberPartition, rowKey) { ["PhoneNumberId"] = update.PhoneNumberId };
            if (!Newer(row, "QualityAt", update.At) || !SetAll(row, "QualityAt", update.At, ("Event", update.Event), ("CurrentLimit", update.CurrentLimit), ("OldLimit", update.OldLimit), ("MaxDailyConversations", update.MaxDailyConversations)))
            {
                return;
            }

            try
            {
                if (existing.HasValue)
                {
                    await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await _table.AddEntityAsync(row, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 10)
            {
            }
        }
    }

    // Equal times apply again, so a redelivery of the very webhook that set a value is recognised as no change.
    private static bool Newer(TableEntity row, string column, DateTimeOffset at) => row.GetDateTimeOffset(column) is not { } stored || at >= stored;

    private static bool SetAll(TableEntity row, string timeColumn, DateTimeOffset at, params (string Column, string? Value)[] values)
    {
        var changed = row.GetDateTimeOffset(timeColumn) != at;
        row[timeColumn] = at;
        foreach (var (column, value) in values)
        {
            if (row.GetString(column) != value)
            {
                row[column] = value;
                changed = true;
            }
        }

        return changed;
    }

    private static bool Set(TableEntity row, string column, string? value)
    {
        if (value is null || row.GetString(column) == value)
        {
            return false;
        }

        row[column] = value;
        return true;
    }

    private static TemplateState ToState(TableEntity row) =>
        new(
            row.GetString("TemplateId") ?? row.RowKey,
            row.GetString("Name"),
            row.GetString("Language"),
            row.GetString("Status"),
            row.GetString("StatusReason"),
            row.GetString("Category"),
            row.GetString("UpcomingCategory"),
            row.GetString("Quality"),
            row.GetDateTimeOffset("StatusAt"),
            row.GetDateTimeOffset("CategoryAt"),
            row.GetDateTimeOffset("QualityAt"));
}
