using Azure;
using Azure.Storage.Blobs;
using Messaging.Shared.Retention;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Webhooks;

/// <summary>
/// Blob copies of webhook bodies: the claim check for bodies too large for a queue message, and the evidence
/// kept for parked webhooks. Bodies hold phone numbers and message text of possibly several people, so they are sealed
/// with the master key and noted in <see cref="WebhookCopyIndex"/> under each person they name, for erasure: when first
/// loaded for processing, not on the ack path (reading a 3 MB body and writing an index row per person there would
/// cost the ack its deadline). A parked webhook is noted by the parked store.
/// </summary>
public sealed class WebhookBodyStore(
    StorageClients storage, MasterKey masterKey, RetentionIndex? retention = null, TimeProvider? time = null, WebhookCopyIndex? copies = null)
{
    private readonly BlobContainerClient _container = storage.Container(StorageNames.WebhookBodiesContainer);

    public async Task<string> SaveAsync(string envelopeId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var name = BlobName(envelopeId);
        var sealedBody = masterKey.Seal(body.Span, AssociatedData(envelopeId));
        if (retention is not null)
        {
            await retention.NoteBlobAsync(
                RetentionClasses.WebhookBodies, StorageNames.WebhookBodiesContainer, name, (time ?? TimeProvider.System).GetUtcNow(), cancellationToken);
        }


        await _container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(sealedBody), overwrite: true, cancellationToken);
        return name;
    }

    public async Task<byte[]?> LoadAsync(string envelopeId, string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var download = await _container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken);
            var body = masterKey.Open(download.Value.Content.ToMemory().Span, AssociatedData(envelopeId));
            if (copies is not null)
            {
                // Before any processing of it: a body that then keeps failing stays, and erasure must find it.
                await copies.NoteAsync(body, WebhookCopyIndex.BodyKind, "", envelopeId, RetentionClasses.WebhookBodies, cancellationToken);
            }

            return body;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task DeleteAsync(string blobName, CancellationToken cancellationToken) =>
        _container.GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    public static string BlobName(string envelopeId) => $"bodies/{envelopeId}";

    private static string AssociatedData(string envelopeId) => "webhook-body:" + envelopeId;
}
