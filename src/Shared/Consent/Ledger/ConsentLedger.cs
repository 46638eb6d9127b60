using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Retention;
using Messaging.Shared.Events;
using Messaging.Shared.Privacy.Audit;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Consent.Ledger;

/// <summary>
/// The append-only consent ledger on Table Storage. One partition per contact holds every event of every purpose
/// plus one head row per purpose; an event and its head are written in one entity-group transaction guarded by
/// the head's ETag, so the head is always the projection of exactly the stored events. Events carry proof
/// without personal data, so the ledger may outlive erasure as evidence (Art. 17(3)(e) GDPR). Every accepted change is
/// also appended to the hash-chained audit log (contact key, kind, purpose), keyed by the event id, so a redelivered
/// event that finds its ledger row written still completes its audit entry after a crash between the two.
/// </summary>
/// <remarks>
/// Every appended event is announced on the event outbox (<c>consent.changed</c>, and <c>optin.completed</c> for a
/// confirmation) as an idempotent follow-up keyed by the event id: also when a repeat finds the event already stored,
/// because the process may have died between the two writes.
/// </remarks>
public sealed class ConsentLedger(StorageClients storage, KeyedHasher hasher, AuditLog audit, TimeProvider time, EventOutbox? events = null, ContactActivity? activity = null, Segments.ConsentSegmentIndex? segments = null)
{
    private readonly TableClient _table = storage.Table(StorageNames.ConsentTable);

    public async Task<ConsentHead> GetHeadAsync(string contactKey, string purpose, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, HeadRow(purpose), cancellationToken: cancellationToken);
        return row.HasValue ? ToHead(row.Value!) : ConsentHead.Empty(purpose);
    }

    /// <summary>Appends an event when the projection accepts it; duplicates and stale events change nothing.</summary>
    public async Task<ConsentAppendResult> AppendAsync(string contactKey, ConsentEvent consentEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consentEvent);
        if (consentEvent is ConsentConfirmed && activity is not null)
        {
            // A confirmed consent keeps the contact from counting as inactive (Retention:InactiveContacts).
            await activity.NoteAsync(contactKey, cancellationToken);
        }

        for (var attempt = 0; ; attempt++)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, HeadRow(consentEvent.Purpose), cancellationToken: cancellationToken);
            var head = existing.HasValue ? ToHead(existing.Value!) : ConsentHead.Empty(consentEvent.Purpose);
            if (!ConsentProjection.Accepts(head, consentEvent))
            {
                await AuditIfRecordedAsync(contactKey, consentEvent, cancellationToken);
                return new ConsentAppendResult(false, head, head);
            }

            var next = ConsentProjection.Evolve(head, consentEvent);
            var sequence = (existing.HasValue ? existing.Value!.GetInt64("Sequence") ?? 0 : 0) + 1;
            var headEntity = ToEntity(contactKey, next);
            headEntity["Sequence"] = sequence;
            TableTransactionAction headAction = existing.HasValue
                ? new(TableTransactionActionType.UpdateReplace, headEntity, existing.Value!.ETag)
                : new(TableTransactionActionType.Add, headEntity);
            try
            {
                await _table.SubmitTransactionAsync(
                    [
                        new(TableTransactionActionType.Add, new TableEntity(contactKey, EventIdRow(consentEvent))),
                        new(TableTransactionActionType.Add, ToEntity(contactKey, EventRow(consentEvent.Purpose, sequence), consentEvent)),
                        headAction,
                    ],
                    cancellationToken);
                await AuditAsync(contactKey, consentEvent, cancellationToken);
                await IndexAsync(contactKey, consentEvent.Purpose, cancellationToken);
                await AnnounceAsync(contactKey, consentEvent, next, cancellationToken);
                return new ConsentAppendResult(true, head, next);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                if (e.FailedTransactionActionIndex == 0 || attempt >= 8)
                {
                    // The event-id row exists: this exact event was appended before.
                    await AuditIfRecordedAsync(contactKey, consentEvent, cancellationToken);
                    var current = await GetHeadAsync(contactKey, consentEvent.Purpose, cancellationToken);
                    if (e.FailedTransactionActionIndex == 0)
                    {
                        await IndexAsync(contactKey, consentEvent.Purpose, cancellationToken);
                        await AnnounceAsync(contactKey, consentEvent, current, cancellationToken);
                    }

                    return new ConsentAppendResult(false, head, current);
                }

                // The head changed under us; read it again and decide again.
            }
        }
    }

    /// <summary>From the head as it is now, not as this append left it: a concurrent append may have moved it on.</summary>
    private async Task IndexAsync(string contactKey, string purpose, CancellationToken cancellationToken)
    {
        if (segments is not null)
        {
            await segments.ApplyAsync(contactKey, await GetHeadAsync(contactKey, purpose, cancellationToken), cancellationToken);
        }
    }

    private async Task AnnounceAsync(string contactKey, ConsentEvent consentEvent, ConsentHead head, CancellationToken cancellationToken)
    {
        if (events is null)
        {
            return;
        }

        var data = new Dictionary<string, object?>
        {
            ["contactKey"] = contactKey,
            ["purpose"] = consentEvent.Purpose,
            ["change"] = consentEvent.GetType().Name,
            ["status"] = head.Status.ToString(),
        };
        await events.AppendAsync(contactKey, consentEvent.EventId, EventTypes.ConsentChanged, consentEvent.OccurredAt, data, null, cancellationToken);
        if (consentEvent is ConsentConfirmed)
        {
            await events.AppendAsync(contactKey, consentEvent.EventId, EventTypes.OptInCompleted, consentEvent.OccurredAt, data, null, cancellationToken);
        }
    }

    /// <summary>Every purpose's head and its events, oldest first: what a data-protection officer shows a court.</summary>
    public async Task<IReadOnlyList<ConsentRecord>> GetRecordsAsync(string contactKey, CancellationToken cancellationToken)
    {
        var heads = new List<ConsentHead>();
        var events = new List<(string Purpose, string RowKey, ConsentProofEntry Entry)>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == contactKey, cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith("head:", StringComparison.Ordinal))
            {
                heads.Add(ToHead(row));
            }
            else if (row.RowKey.StartsWith("event:", StringComparison.Ordinal))
            {
                events.Add((row.GetString("Purpose") ?? "", row.RowKey, ToProofEntry(row)));
            }
        }

        return heads
            .OrderBy(h => h.Purpose, StringComparer.Ordinal)
            .Select(h => new ConsentRecord(h, events.Where(e => e.Purpose == h.Purpose).OrderBy(e => e.RowKey, StringComparer.Ordinal).Select(e => e.Entry).ToList()))
            .ToList();
    }

    /// <summary>
    /// The row keys of the contact's events and their id rows: the proof kept after erasure until ProofRetention ends
    /// it. Head rows are not among them: a later consent of the same number continues the same partition.
    /// </summary>
    public async Task<IReadOnlyList<string>> ProofRowKeysAsync(string contactKey, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == contactKey, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (!row.RowKey.StartsWith("head:", StringComparison.Ordinal))
            {
                keys.Add(row.RowKey);
            }
        }

        return keys;
    }

    private async Task AuditIfRecordedAsync(string contactKey, ConsentEvent consentEvent, CancellationToken cancellationToken)
    {
        if ((await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, EventIdRow(consentEvent), ["RowKey"], cancellationToken)).HasValue)
        {
            await AuditAsync(contactKey, consentEvent, cancellationToken);
        }
    }

    private Task AuditAsync(string contactKey, ConsentEvent consentEvent, CancellationToken cancellationToken) =>
        audit.AppendAsync(
            "consent:" + contactKey + ":" + hasher.Hash("consent-event", consentEvent.EventId),
            contactKey,
            null,
            "consent." + Kind(consentEvent),
            "purpose=" + consentEvent.Purpose,
            cancellationToken);

    private static string HeadRow(string purpose) => "head:" + purpose;

    // Events are numbered per purpose from the head's counter, in the same transaction, so the stored order is the
    // order in which the head accepted them. A separate row keyed by the event id makes a duplicate fail the batch.
    private static string EventRow(string purpose, long sequence) => $"event:{purpose}:{sequence:D12}";

    private string EventIdRow(ConsentEvent e) => "eventid:" + hasher.Hash("consent-event", e.EventId);

    private TableEntity ToEntity(string contactKey, string rowKey, ConsentEvent e)
    {
        var entity = new TableEntity(contactKey, rowKey)
        {
            ["Kind"] = Kind(e),
            ["EventId"] = e.EventId,
            ["Purpose"] = e.Purpose,
            ["OccurredAt"] = e.OccurredAt,
            ["RecordedAt"] = time.GetUtcNow(),
            ["Source"] = e.Proof.Source,
            ["Channel"] = e.Proof.Channel,
            ["ConsentText"] = e.Proof.ConsentText,
            ["ConsentTextVersion"] = e.Proof.ConsentTextVersion,
            ["PrivacyNoticeVersion"] = e.Proof.PrivacyNoticeVersion,
            ["EvidenceRef"] = e.Proof.EvidenceRef,
        };
        switch (e)
        {
            case ConsentRequested r: entity["RequestId"] = r.RequestId; break;
            case ConsentConfirmed c: entity["RequestId"] = c.RequestId; break;
            case ConsentDeclined d: entity["RequestId"] = d.RequestId; break;
            case ConsentExpired x: entity["RequestId"] = x.RequestId; break;
            case ConsentWithdrawn w: entity["Reason"] = w.Reason.ToString(); break;
        }

        return entity;
    }

    private static TableEntity ToEntity(string contactKey, ConsentHead head) =>
        new(contactKey, HeadRow(head.Purpose))
        {
            ["Purpose"] = head.Purpose,
            ["Status"] = head.Status.ToString(),
            ["ChangedAt"] = head.ChangedAt,
            ["LastEventId"] = head.LastEventId,
            ["PendingRequestId"] = head.PendingRequestId,
            ["LastRequestId"] = head.LastRequestId,
        };

    private static ConsentHead ToHead(TableEntity row) =>
        new(
            row.GetString("Purpose") ?? row.RowKey["head:".Length..],
            Enum.TryParse<ConsentStatus>(row.GetString("Status"), out var status) ? status : ConsentStatus.None,
            row.GetDateTimeOffset("ChangedAt"),
            row.GetString("LastEventId"),
            row.GetString("PendingRequestId"),
            row.GetString("LastRequestId"));

    private static ConsentProofEntry ToProofEntry(TableEntity row) =>
        new(
            row.GetString("Kind") ?? "",
            row.GetString("EventId") ?? "",
            row.GetDateTimeOffset("OccurredAt") ?? DateTimeOffset.MinValue,
            row.GetDateTimeOffset("RecordedAt"),
            row.GetString("Source") ?? "",
            row.GetString("Channel") ?? "",
            row.GetString("ConsentText"),
            row.GetString("ConsentTextVersion"),
            row.GetString("PrivacyNoticeVersion"),
            row.GetString("EvidenceRef"),
            row.GetString("RequestId"),
            row.GetString("Reason"));

    private static string Kind(ConsentEvent e) => e switch
    {
        ConsentRequested => "requested",
        ConsentConfirmed => "confirmed",
        ConsentDeclined => "declined",
        ConsentExpired => "expired",
        ConsentGranted => "granted",
        ConsentWithdrawn => "withdrawn",
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };
}
