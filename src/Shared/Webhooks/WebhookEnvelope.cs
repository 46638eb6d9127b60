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
    [property: JsonPropertyName("body"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] byte[]? InlineBody,
    [property: JsonPropertyName("blob"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BodyBlob)
{
    /// <summary>How many times an operator replayed this webhook from the parked store; 0 for Meta's deliveries.</summary>
    [JsonPropertyName("replay")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Replay { get; init; }

    /// <summary>
    /// The key a queue with duplicate detection should use: the body hash for Meta's (re)deliveries, so they
    /// collapse, but distinct for each operator replay, which must not be discarded as a duplicate of the original.
    /// </summary>
    [JsonIgnore]
    public string DeduplicationId => Replay == 0 ? Id : $"{Id}-replay-{Replay}";

    public static string IdOf(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>True for what <see cref="IdOf"/> returns: 64 lowercase hex characters. Management APIs check ids with it.</summary>
    public static bool IsId(string? id) => id is { Length: 64 } && id.All(char.IsAsciiHexDigitLower);

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

        return Checked(envelope);
    }

    /// <summary>
    /// Reads a queue message holding one envelope or a JSON array of them: LocalHost's Storage Queue commits
    /// concurrent acks together that way (see <see cref="StorageWebhookQueue"/>).
    /// </summary>
    public static IReadOnlyList<WebhookEnvelope> DeserializeMany(ReadOnlySpan<byte> json)
    {
        var trimmed = json.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'[')
        {
            return [Deserialize(json)];
        }

        WebhookEnvelope?[]? envelopes;
        try
        {
            envelopes = JsonSerializer.Deserialize(json, WebhookEnvelopeJson.Default.WebhookEnvelopeArray);
        }
        catch (JsonException e)
        {
            throw new WebhookPayloadException("Queue message is not a webhook envelope.", e);
        }

        if (envelopes is not { Length: > 0 })
        {
            throw new WebhookPayloadException("Queue message is not a webhook envelope.");
        }

        return [.. envelopes.Select(e => Checked(e))];
    }

    private static WebhookEnvelope Checked(WebhookEnvelope? envelope)
    {
        if (envelope is null || string.IsNullOrEmpty(envelope.Id) || (envelope.InlineBody is null && envelope.BodyBlob is null))
        {
            throw new WebhookPayloadException("Queue message is not a webhook envelope.");
        }

        // A claim-checked envelope never carries an inline body, whatever the serializer made of the absent one.
        return envelope.BodyBlob is null ? envelope : envelope with { InlineBody = null };
    }
}

[JsonSerializable(typeof(WebhookEnvelope))]
[JsonSerializable(typeof(WebhookEnvelope[]))]
internal sealed partial class WebhookEnvelopeJson : JsonSerializerContext;
