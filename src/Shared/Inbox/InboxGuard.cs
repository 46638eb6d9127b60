using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Retention;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Inbox;

public enum InboxClaim
{
    /// <summary>This worker owns the event now and must apply it, then call Complete.</summary>
    Claimed,

    /// <summary>The event's effects were applied before: a duplicate.</summary>
    AlreadyDone,

    /// <summary>Another worker holds a live lease on it; try the message again later.</summary>
    HeldElsewhere,
}

/// <summary>
/// De-duplication that holds on every host: an atomic insert of the event's key (never check-then-insert).
/// The row is a lease while effects run and becomes "done" after, so a worker that dies mid-way does not
/// leave the event marked done: its lease expires and a redelivery applies the (idempotent) effects again.
/// </summary>
public sealed class InboxGuard(StorageClients storage, KeyedHasher hasher, TimeProvider time, RetentionIndex? retention = null)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    /// <summary>The row key of every inbox row (erasure deletes a contact's inbox rows by their partition key).</summary>
    public const string Row = "event";
    private readonly TableClient _table = storage.Table(StorageNames.InboxTable);

    public string KeyOf(string eventId) => hasher.Hash("inbox", eventId);

    public async Task<InboxClaim> ClaimAsync(string eventId, CancellationToken cancellationToken)
    {
        var key = KeyOf(eventId);
        var now = time.GetUtcNow();
        if (retention is not null)
        {
            await retention.NoteAsync(RetentionClasses.Inbox, StorageNames.InboxTable, key, Row, now, cancellationToken);
        }

        try
        {
            await _table.AddEntityAsync(NewLease(key, now), cancellationToken);
            return InboxClaim.Claimed;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }

        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(key, Row, cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return InboxClaim.HeldElsewhere;
        }

        var row = existing.Value!;
        if (row.GetString("State") == "done")
        {
            return InboxClaim.AlreadyDone;
        }

        if (row.GetDateTimeOffset("LeaseUntil") is { } until && until > now)
        {
            return InboxClaim.HeldElsewhere;
        }

        try
        {
            await _table.UpdateEntityAsync(NewLease(key, now), row.ETag, TableUpdateMode.Replace, cancellationToken);
            return InboxClaim.Claimed;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return InboxClaim.HeldElsewhere;
        }
    }

    public Task CompleteAsync(string eventId, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(
            new TableEntity(KeyOf(eventId), Row) { ["State"] = "done", ["DoneAt"] = time.GetUtcNow() },
            TableUpdateMode.Replace,
            cancellationToken);

    /// <summary>Gives a claimed event back at once, so a retry need not wait for the lease to expire.</summary>
    public Task ReleaseAsync(string eventId, CancellationToken cancellationToken) =>
        _table.DeleteEntityAsync(KeyOf(eventId), Row, ETag.All, cancellationToken);

    private TableEntity NewLease(string key, DateTimeOffset now) =>
        new(key, Row) { ["State"] = "processing", ["LeaseUntil"] = now + Lease, ["ClaimedAt"] = now };
}
