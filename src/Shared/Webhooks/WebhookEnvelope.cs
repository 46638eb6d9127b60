using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Messaging.Shared.Webhooks;

/// <summary>
/// What the ack puts on the inbound queue: the signed body exactly as received, inline when small, otherwise a
/// reference to the sealed copy in blob storage (queues cap messages at 64 KB; Meta sends up to 3 MB).
/// <see cref="Id"/> is the SHA-256 of the body: Service Bus duplicate detection and the parked store key on it.
/// </summary>
public sealed record WebhookEnvelope(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("receivedAt")] DateTimeOffset ReceivedAt,
    [property: JsonPropertyName("body")] byte[]? InlineBody,
    [property: JsonPropertyName("blob")] string? BodyBlob)
{
    public static string IdOf(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, WebhookEnvelopeJson.Default.WebhookEnvelope);

    public static WebhookEnvelope Deserialize(ReadOnlySpan<byte> json)
    {
        WebhookEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(json, WebhookEnvelopeJson.Default.WebhookEnvelope);
        }
        catch (JsonException e)
        {
            throw new WebhookPayloadException("Queue message is not a webhook envelope.", e);
        }

        if (envelope is null || string.IsNullOrEmpty(envelope.Id) || (envelope.InlineBody is null && envelope.BodyBlob is null))
        {
            throw new WebhookPayloadException("Queue message is not a webhook envelope.");
        }

        return envelope;
    }
}

[JsonSerializable(typeof(WebhookEnvelope))]
internal sealed partial class WebhookEnvelopeJson : JsonSerializerContext;
