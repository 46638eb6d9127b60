using Messaging.Shared.Security;

namespace Messaging.Shared.Webhooks;

public enum IngressStatus
{
    Accepted,
    SignatureMissing,
    SignatureInvalid,
}

/// <summary>
/// The webhook ack: verify the signature over the raw bytes, store the body durably, answer. Nothing else runs
/// here; parsing and every effect happen in the processor, so the ack stays fast and cannot lose a signed body.
/// </summary>
public sealed class WebhookIngress(IWebhookQueue queue, WebhookBodyStore bodies, WebhookSignature signature, KeyedHasher hasher, TimeProvider time)
{
    public async Task<IngressStatus> AcceptAsync(string? signatureHeader, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        switch (signature.Verify(signatureHeader, body.Span))
        {
            case SignatureCheck.Missing:
                return IngressStatus.SignatureMissing;
            case SignatureCheck.Malformed or SignatureCheck.Mismatch:
                return IngressStatus.SignatureInvalid;
        }

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

        // Do not pass the request's token: once the body is signed, a client disconnect must not abandon the enqueue.
        await queue.EnqueueAsync(envelope, WebhookRoutingKey.For(body.Span, hasher), CancellationToken.None);
        return IngressStatus.Accepted;
    }

    // Hosts hand over the array they read the body into; copying it again on the hot path buys nothing.
    private static byte[] WholeArrayOrCopy(ReadOnlyMemory<byte> body) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body, out var segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : body.ToArray();
}
