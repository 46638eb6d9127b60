using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Retention;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Webhooks;

/// <summary>
/// Keeps what Meta sent that no feature processes yet (other webhook fields, account-level errors), sealed
/// with the master key because it may name people; whom it names finds it through <see cref="WebhookCopyIndex"/>, so
/// erasure reaches it. Nothing Meta sent is lost, and a later feature can read it.
/// </summary>
public sealed class UnhandledEventStore(
    StorageClients storage, MasterKey masterKey, TimeProvider time, RetentionIndex? retention = null, WebhookCopyIndex? copies = null)
{
    private readonly TableClient _table = storage.Table(StorageNames.UnhandledTable);

    public async Task KeepAsync(string field, string fingerprint, string phoneNumberId, string rawJson, int? errorCode, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Sanitize(field);
        var raw = System.Text.Encoding.UTF8.GetBytes(rawJson);
        var entity = new TableEntity(partition, fingerprint)
        {
            ["PhoneNumberId"] = phoneNumberId,
            ["ReceivedAt"] = time.GetUtcNow(),
            ["ErrorCode"] = errorCode,
            ["Raw"] = masterKey.Seal(raw, "unhandled:" + partition + ":" + fingerprint),
        };
        if (copies is not null)
        {
            await copies.NoteAsync(raw, WebhookCopyIndex.UnhandledKind, partition, fingerprint, RetentionClasses.UnhandledEvents, cancellationToken);
        }

        if (retention is not null)
        {
            await retention.NoteAsync(RetentionClasses.UnhandledEvents, StorageNames.UnhandledTable, partition, fingerprint, time.GetUtcNow(), cancellationToken);
        }

        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
    }
}
