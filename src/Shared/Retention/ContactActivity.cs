using System.Collections.Concurrent;
using Azure.Data.Tables;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Retention;

/// <summary>
/// A contact's last activity (a message either way, a confirmed consent), kept so that <c>Retention:InactiveContacts</c>
/// finds inactive contacts without reading every contact: the contact's partition in Contacts holds one
/// <see cref="RowKey"/> row with the latest time, and the <see cref="RetentionIndex"/> of class InactiveContacts gets an
/// entry under the activity's day. A sweep reads only the day tables older than the period; a contact found there whose
/// row says it was active since is skipped (its later day lists it again). Noted at most once a contact and day per
/// process, index entry first, so a crash in between is redone by the caller's retry and never hides the activity.
/// </summary>
public sealed class ContactActivity(StorageClients storage, RetentionIndex index, TimeProvider time)
{
    public const string RowKey = "activity";
    public const string AtColumn = "LastActivityAt";

    private readonly TableClient _contacts = storage.Table(StorageNames.ContactsTable);
    private readonly ConcurrentDictionary<string, DateOnly> _notedOn = new(StringComparer.Ordinal);

    public async Task NoteAsync(string contactKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (_notedOn.TryGetValue(contactKey, out var noted) && noted == today)
        {
            return;
        }

        await index.NoteAsync(RetentionClasses.InactiveContacts, StorageNames.ContactsTable, contactKey, RowKey, now, cancellationToken);
        await _contacts.UpsertEntityAsync(new TableEntity(contactKey, RowKey) { [AtColumn] = now }, TableUpdateMode.Merge, cancellationToken);
        if (_notedOn.Count > 100_000)
        {
            // Only saves writes: forgetting costs one repeated upsert per contact.
            _notedOn.Clear();
        }

        _notedOn[contactKey] = today;
    }

    /// <summary>The contact's last activity, or null when it has none on record (never active, or erased).</summary>
    public async Task<DateTimeOffset?> LastAsync(string contactKey, CancellationToken cancellationToken)
    {
        var row = await _contacts.GetEntityIfExistsAsync<TableEntity>(contactKey, RowKey, [AtColumn], cancellationToken);
        return row.HasValue ? row.Value!.GetDateTimeOffset(AtColumn) : null;
    }
}
