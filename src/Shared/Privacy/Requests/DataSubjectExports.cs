using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Contacts;
using Messaging.Shared.Messages;
using Messaging.Shared.Outbound;
using Messaging.Shared.Retention;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Privacy.Requests;

/// <summary>
/// Builds and keeps the export of an access request. The export is personal data itself: it is stored sealed with the
/// contact's data key (so a later erasure makes it unreadable too) in the data-subject-exports container, noted in the
/// retention index under ExportRetention, and the sweep deletes it when that ends.
/// </summary>
public sealed class DataSubjectExports(
    StorageClients storage,
    MessageStore messageStore,
    ContactKeyring keyring,
    ConsentLedger ledger,
    RetentionIndex retentionIndex,
    IOptions<RetentionOptions> retention,
    TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string BlobName(string requestId) => requestId + ".json";

    /// <returns>When the export will be deleted.</returns>
    public async Task<DateTimeOffset> CreateAsync(string requestId, string contactKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var document = new DataSubjectExportDocument(
            requestId,
            now,
            contactKey,
            await IdentifiersAsync(contactKey, cancellationToken),
            await ledger.GetRecordsAsync(contactKey, cancellationToken),
            await MessagesAsync(contactKey, cancellationToken),
            await SendsAsync(contactKey, cancellationToken),
            Processing());
        var json = JsonSerializer.Serialize(document, Json);
        var container = storage.Container(StorageNames.DataSubjectExportsContainer);
        // Index first: a crash after it leaves an index row pointing at nothing, never an export nobody deletes.
        await retentionIndex.NoteBlobAsync(RetentionClasses.ExportRetention, StorageNames.DataSubjectExportsContainer, BlobName(requestId), now, cancellationToken);
        var sealedExport = await keyring.SealAsync(contactKey, "export", json, cancellationToken);
        await container.GetBlobClient(BlobName(requestId)).UploadAsync(new BinaryData(sealedExport), overwrite: true, cancellationToken);
        return now + retention.Value.ExportRetention;
    }

    /// <returns>The export as JSON, or null when it is gone (retention ended, or the contact was erased since).</returns>
    public async Task<string?> ReadAsync(string requestId, string contactKey, CancellationToken cancellationToken)
    {
        try
        {
            var blob = await storage.Container(StorageNames.DataSubjectExportsContainer).GetBlobClient(BlobName(requestId)).DownloadContentAsync(cancellationToken);
            return await keyring.OpenAsync(contactKey, "export", blob.Value.Content.ToArray(), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private async Task<ExportIdentifiers> IdentifiersAsync(string contactKey, CancellationToken cancellationToken)
    {
        var row = await storage.Table(StorageNames.ContactsTable).GetEntityIfExistsAsync<TableEntity>(contactKey, "profile", cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return new ExportIdentifiers(null, null, null, null, null, null);
        }

        var profile = row.Value!;
        var phone = await keyring.OpenAsync(contactKey, "phone", profile.GetBinary("Phone"), cancellationToken);
        return new ExportIdentifiers(
            phone,
            phone?.TrimStart('+'),
            await keyring.OpenAsync(contactKey, "user_id", profile.GetBinary("UserId"), cancellationToken),
            await keyring.OpenAsync(contactKey, "name", profile.GetBinary("Name"), cancellationToken),
            profile.GetDateTimeOffset("CreatedAt"),
            profile.GetDateTimeOffset("LastInboundAt"));
    }

    private async Task<IReadOnlyList<ExportMessage>> MessagesAsync(string contactKey, CancellationToken cancellationToken)
    {
        var messages = new List<ExportMessage>();
        // Shard and legacy table alike, a row in both listed once (MessageStore.ListAsync).
        await foreach (var row in messageStore.ListAsync(contactKey, cancellationToken))
        {
            messages.Add(new ExportMessage(
                row.GetString("Direction") ?? "",
                row.GetString("Type"),
                row.GetDateTimeOffset("SentAt") ?? row.GetDateTimeOffset("ReceivedAt") ?? row.Timestamp,
                row.GetString("Status"),
                await keyring.OpenAsync(contactKey, "text", row.GetBinary("Text"), cancellationToken),
                await keyring.OpenAsync(contactKey, "wamid", row.GetBinary("Wamid"), cancellationToken),
                await keyring.OpenAsync(contactKey, "message", row.GetBinary("Raw"), cancellationToken)));
        }

        return [.. messages.OrderBy(m => m.At)];
    }

    private async Task<IReadOnlyList<ExportSend>> SendsAsync(string contactKey, CancellationToken cancellationToken)
    {
        var sends = new List<ExportSend>();
        await foreach (var row in storage.Table(StorageNames.OutboxTable).QueryAsync<OutboxEntity>(e => e.PartitionKey == contactKey, cancellationToken: cancellationToken))
        {
            sends.Add(new ExportSend(row.Kind, row.MessageType, row.TemplateName, row.CreatedAt, row.State, row.MessageStatus));
        }

        return [.. sends.OrderBy(s => s.CreatedAt)];
    }

    private ExportProcessing Processing()
    {
        var options = retention.Value;
        return new ExportProcessing(
            [
                new("answering your messages and requests (customer service)", "Art. 6(1)(b) GDPR where it concerns a contract, otherwise Art. 6(1)(f) GDPR (legitimate interest in answering)"),
                new("sending you advertising by WhatsApp for the purposes you consented to", "Art. 6(1)(a) GDPR, § 7(2) Nr. 2 UWG (your prior express consent)"),
                new("proving consent and its withdrawal, keeping a suppression entry after an objection or erasure", "Art. 6(1)(c) and (f), Art. 17(3)(e) GDPR"),
            ],
            [
                new("Meta Platforms Ireland Ltd. (WhatsApp Business Platform, Cloud API)", "processor (Art. 28 GDPR)", "phone number / WhatsApp id, message content and delivery status; content stored by Meta for at most 30 days"),
            ],
            [
                new("messages", Iso8601Duration.Format(options.Messages)),
                new("sends and their delivery status (outbox)", Iso8601Duration.Format(options.Outbox)),
                new("webhook de-duplication entries", Iso8601Duration.Format(options.Inbox)),
                new("finished workflows (e.g. double opt-in)", Iso8601Duration.Format(options.Workflows)),
                new("opt-in codes, counted from their expiry", Iso8601Duration.Format(options.OptInTokens)),
                new("contact profile and identifiers: until erasure, at the latest after this long without contact", Iso8601Duration.Format(options.InactiveContacts)),
                new("consent proof after withdrawal or erasure", Iso8601Duration.Format(options.ProofRetention)),
                new("this export", Iso8601Duration.Format(options.ExportRetention)),
            ],
            "from you: your WhatsApp messages and profile as Meta delivers them, and the consent you gave (web form, WhatsApp or our CRM)",
            "You may ask for rectification, erasure, restriction, portability and object at any time (Art. 16-21 GDPR) and complain to a supervisory authority (Art. 77 GDPR).");
    }
}
