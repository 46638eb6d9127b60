using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Events;

/// <summary>
/// The parked events (PartitionKey = subscription id, RowKey = contact key + outbox row), for the operator: list, replay
/// through the outbox (<see cref="EventOutbox.ReplayAsync"/>), discard. Erasure removes a contact's parked events.
/// </summary>
public sealed class ParkedEventStore(StorageClients storage, EventOutbox outbox)
{
    private readonly TableClient _table = storage.Table(StorageNames.ParkedEventsTable);

    public static string IdOf(string subscriptionId, string rowKey) => subscriptionId + "." + rowKey;

    /// <summary>Ids are "{subscription id}.{row key}": letters, digits, '-' and '_' on either side of one dot.</summary>
    public static bool IsId(string? id) =>
        id is { Length: > 3 and <= 200 } && id.Count(c => c == '.') == 1 && id.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot && dot < id.Length - 1
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Newest parked first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<ParkedEvent>> ListAsync(int max, CancellationToken cancellationToken)
    {
        var all = new List<ParkedEvent>();
        await foreach (var row in _table.QueryAsync<TableEntity>(
            select: ["PartitionKey", "RowKey", "ContactKey", "Type", "EventId", "OccurredAt", "Attempts", "FirstFailureAt", "ParkedAt"], cancellationToken: cancellationToken))
        {
            all.Add(new ParkedEvent(IdOf(row.PartitionKey, row.RowKey), row.PartitionKey, row.GetString("ContactKey") ?? "", row.GetString("Type") ?? "",
                row.GetString("EventId") ?? "", row.GetDateTimeOffset("OccurredAt"), row.GetInt32("Attempts") ?? 0, row.GetDateTimeOffset("FirstFailureAt"), row.GetDateTimeOffset("ParkedAt")));
        }

        return [.. all.OrderByDescending(e => e.ParkedAt).ThenBy(e => e.Id, StringComparer.Ordinal).Take(max)];
    }

    /// <summary>Back into the outbox for its subscription, then off the parked list; false when there is no such parked event.</summary>
    public async Task<bool> ReplayAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is not { } row)
        {
            return false;
        }

        // Appended before the parked row goes: a crash in between leaves it parked, and a second replay appends nothing new.
        await outbox.ReplayAsync(row.PartitionKey, row, cancellationToken);
        await DeleteAsync(row, cancellationToken);
        return true;
    }

    /// <summary>Dropped for good (the operator decided the receiver does not need it).</summary>
    public async Task<bool> DiscardAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is not { } row)
        {
            return false;
        }

        await DeleteAsync(row, cancellationToken);
        return true;
    }

    /// <summary>Erasure: every parked event of the contact, whatever the subscription.</summary>
    public async Task<int> DeleteContactAsync(string contactKey, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.GetString("ContactKey") == contactKey, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await DeleteAsync(row, cancellationToken);
            count++;
        }

        return count;
    }

    private async Task<TableEntity?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var dot = id.IndexOf('.', StringComparison.Ordinal);
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(id[..dot], id[(dot + 1)..], cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    private async Task DeleteAsync(TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Gone already (a concurrent replay or discard).
        }
    }
}
