using Messaging.Shared.Security;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Webhooks;

public enum IngressStatus
{
    Accepted,
    SignatureMissing,
    SignatureInvalid,

    /// <summary>Storage did not take the body in time (or is known to be down): answer 503 so Meta delivers again.</summary>
    StorageUnavailable,
}

/// <summary>
/// The webhook ack: verify the signature over the raw bytes, store the body durably, answer. Nothing else runs
/// here; parsing and every effect happen in the processor, so the ack stays fast and cannot lose a signed body.
/// When storage does not take the body within <see cref="IngressOptions.AckTimeout"/>, or has just failed repeatedly
/// (a circuit breaker), the ack answers "unavailable" at once instead of hanging: Meta keeps the webhook and retries.
/// A put that timed out may still complete later; the redelivery is then a duplicate, which processing ignores.
/// </summary>
public sealed class WebhookIngress(
    IWebhookQueue queue, WebhookBodyStore bodies, WebhookSignature signature, KeyedHasher hasher, IOptions<IngressOptions> options, TimeProvider time)
{
    private readonly CircuitBreaker _storage = new(time);

    public async Task<IngressStatus> AcceptAsync(string? signatureHeader, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        switch (signature.Verify(signatureHeader, body.Span))
        {
            case SignatureCheck.Missing:
                return IngressStatus.SignatureMissing;
            case SignatureCheck.Malformed or SignatureCheck.Mismatch:
                return IngressStatus.SignatureInvalid;
        }

        if (!_storage.TryEnter())
        {
            return IngressStatus.StorageUnavailable;
        }

        // Not the request's token: once the body is signed, a client disconnect must not abandon the enqueue. A large
        // body first goes to blob storage, which takes longer the larger it is: a second more per MiB.
        using var timeout = new CancellationTokenSource(options.Value.AckTimeout + TimeSpan.FromSeconds(body.Length / (1024.0 * 1024)), time);
        try
        {
            await StoreAsync(body, timeout.Token);
        }
        catch (Exception)
        {
            // Whatever storage threw (timeout, refused connection, retries exhausted): Meta's retry is the remedy.
            _storage.Failed();
            return IngressStatus.StorageUnavailable;
        }

        _storage.Succeeded();
        return IngressStatus.Accepted;
    }

    private async Task StoreAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var id = WebhookEnvelope.IdOf(body.Span);
        var receivedAt = time.GetUtcNow();
        WebhookEnvelope envelope;
        if (body.Length <= queue.InlineBodyLimit)
        {
            envelope = new WebhookEnvelope(id, receivedAt, WholeArrayOrCopy(body), null);
        }
        else
        {
            var blob = await bodies.SaveAsync(id, body, cancellationToken);
            envelope = new WebhookEnvelope(id, receivedAt, null, blob);
        }

        await queue.EnqueueAsync(envelope, WebhookRoutingKey.For(body.Span, hasher), cancellationToken);
    }

    // Hosts hand over the array they read the body into; copying it again on the hot path buys nothing.
    private static byte[] WholeArrayOrCopy(ReadOnlyMemory<byte> body) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body, out var segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : body.ToArray();
}
