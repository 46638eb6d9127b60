using System.Globalization;
using System.Text.Json;
using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Contacts;
using Messaging.Shared.Outbound;
using Messaging.Shared.Privacy.Audit;
using Messaging.Shared.Retention;
using Messaging.Shared.Storage;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Options;
using static Messaging.Shared.Privacy.Erasure.ErasureEffect;
using static Messaging.Shared.Privacy.Erasure.ErasureInput;

namespace Messaging.Shared.Privacy.Erasure;

/// <summary>
/// Runs the erasure's effects on either host. Each is idempotent on its own (a repeated effect finds its work done)
/// and appends one audit entry keyed by the effect id, so the chain records each step once.
/// </summary>
public sealed class ErasureEffects(
    ContactTombstones tombstones,
    ConsentLedger ledger,
    WorkflowRegistry registry,
    IWorkflowHost workflows,
    ContactDirectory contacts,
    OutboundMessenger messenger,
    ContactDataEraser eraser,
    ContactKeyring keyring,
    AuditLog audit,
    RetentionIndex retentionIndex,
    IEnumerable<IErasureObserver> observers,
    IOptions<DataSubjectOptions> options,
    TimeProvider time) : IWorkflowEffects<ErasureEffect, ErasureInput>
{
    public async Task<ErasureInput?> ExecuteAsync(ErasureEffect effect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(effect);
        switch (effect)
        {
            case Tombstone t:
                await tombstones.TombstoneAsync(t.ContactKey, t.RequestId, cancellationToken);
                var withdrawn = await WithdrawEveryConsentAsync(t, cancellationToken);
                await AuditAsync(t, "erasure.tombstoned", $"consentsWithdrawn={withdrawn}", cancellationToken);
                return new Tombstoned(time.GetUtcNow());

            case StopWorkflows s:
                var instances = await registry.ListAsync(s.ContactKey, cancellationToken);
                foreach (var record in instances)
                {
                    await workflows.TerminateAsync(record.Instance, "erasure", cancellationToken);
                    await workflows.PurgeAsync(record.Instance, cancellationToken);
                }

                await AuditAsync(s, "erasure.workflows-stopped", $"instances={instances.Count}", cancellationToken);
                return new WorkflowsStopped(instances.Count, time.GetUtcNow());

            case NotifyContact n:
                var outcome = await NotifyAsync(n, cancellationToken);
                await AuditAsync(n, "erasure.contact-notified", "outcome=" + outcome, cancellationToken);
                return new ContactNotified(outcome, time.GetUtcNow());

            case DeleteRows d:
                var (removed, more) = await eraser.DeletePageAsync(d.Store, d.ContactKey, d.RequestId, cancellationToken);
                await AuditAsync(d, "erasure.deleted." + d.Store, $"page={d.Page};rows={removed}", cancellationToken);
                return new StoreCleared(d.Store, d.Page, removed, more, time.GetUtcNow());

            case ShredKey k:
                await keyring.ShredAsync(k.ContactKey, cancellationToken);
                await AuditAsync(k, "erasure.key-shredded", "keys=1", cancellationToken);
                return new KeyShredded(time.GetUtcNow());

            case WriteReceipt r:
                var proofRows = await NoteKeptProofAsync(r, cancellationToken);
                await tombstones.WriteReceiptAsync(r.ContactKey, r.RequestId, JsonSerializer.Serialize(r.Report, ErasureWorkflow.Json), cancellationToken);
                await AuditAsync(r, "erasure.completed", Counts(r.Report) + $";proofRowsKept={proofRows}", cancellationToken);
                foreach (var observer in observers)
                {
                    await observer.OnErasedAsync(r.RequestId, r.ContactKey, r.Report, cancellationToken);
                }

                return new ReceiptWritten(time.GetUtcNow());

            case RecordFailure f:
                await AuditAsync(f, "erasure.failed", $"step={f.Step};reason={f.Reason};" + Counts(f.Report), cancellationToken);
                foreach (var observer in observers)
                {
                    await observer.OnErasureFailedAsync(f.RequestId, f.ContactKey, f.Step, f.Reason, f.Report, cancellationToken);
                }

                return new FailureRecorded(time.GetUtcNow());

            default:
                throw new ArgumentOutOfRangeException(nameof(effect), effect.GetType().Name, "Not an erasure effect.");
        }
    }

    /// <summary>
    /// The ledger is kept as proof under the contact key, so it must not keep saying "confirmed": the same number
    /// gets the same key again, and a stale confirmation would let a later import advertise to it.
    /// </summary>
    private async Task<int> WithdrawEveryConsentAsync(Tombstone t, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var record in await ledger.GetRecordsAsync(t.ContactKey, cancellationToken))
        {
            var purpose = record.Head.Purpose;
            var proof = new ConsentProof(ConsentSources.ErasureRequest, t.Channel, null, null, null, t.RequestId);
            var withdrawal = new ConsentWithdrawn($"erasure:{t.RequestId}:withdrawn:{purpose}", purpose, t.RequestedAt, proof, WithdrawalReason.ErasureRequested);
            if ((await ledger.AppendAsync(t.ContactKey, withdrawal, cancellationToken)).Appended)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The ledger rows kept as proof (Art. 17(3)(e)) go into the retention index, so ProofRetention ends them.</summary>
    private async Task<int> NoteKeptProofAsync(WriteReceipt r, CancellationToken cancellationToken)
    {
        var rows = await ledger.ProofRowKeysAsync(r.ContactKey, cancellationToken);
        var from = time.GetUtcNow();
        foreach (var rowKey in rows)
        {
            await retentionIndex.NoteAsync(RetentionClasses.ProofRetention, StorageNames.ConsentTable, r.ContactKey, rowKey, from, cancellationToken);
        }

        return rows.Count;
    }

    private async Task<string> NotifyAsync(NotifyContact n, CancellationToken cancellationToken)
    {
        var address = await contacts.GetAddressAsync(n.ContactKey, cancellationToken);
        if (address is null)
        {
            return "skipped:unreachable";
        }

        if (!address.IsServiceWindowOpen(time.GetUtcNow()))
        {
            return "skipped:window-closed";
        }

        // Straight to the outbox, not through the consent gate: the gate refuses a tombstoned contact, and this is
        // the answer the person is owed (Art. 12(3)), not advertising. The outbox row is erased right after.
        var result = await messenger.SendAsync(
            new OutboundRequest(n.EffectId, n.ContactKey, MessageCategory.ServiceText, OutboundMessage.FromText(options.Value.ErasureNotice)), cancellationToken);
        return result.Status switch
        {
            OutboundStatus.Sent => "sent",
            _ when result.IsRetryable => throw new WorkflowRetryException($"Erasure notice is retryable ({result.Category})."),
            _ => $"failed:{result.Status}:{result.ErrorCode?.ToString(CultureInfo.InvariantCulture) ?? "-"}",
        };
    }

    private Task AuditAsync(ErasureEffect effect, string action, string counts, CancellationToken cancellationToken) =>
        audit.AppendAsync(effect.EffectId, effect.ContactKey, effect.RequestId, action, counts, cancellationToken);

    private static string Counts(ErasureReport report) =>
        string.Join(';', report.RowsRemoved.Select(c => $"{c.Store}={c.Rows}").Append($"workflows={report.WorkflowInstances}").Append($"keyShredded={report.KeyShredded}"));
}
