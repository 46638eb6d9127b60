using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Messaging.Shared.Outbound;

namespace Messaging.Shared.Consent.Sending;

/// <summary>
/// One consent-gated send, queued so that inbound processing never waits for Meta. It names the contact by key only;
/// the address is looked up when the send runs, and the consent gate decides then, not when the command was queued.
/// Texts are the business's configured wording (privacy notice, confirmations), never something a customer wrote.
/// The same <see cref="SendId"/> is the same send however often the command is queued: the outbox sends it once.
/// </summary>
public sealed record OutboundSendCommand(
    [property: JsonPropertyName("sendId")] string SendId,
    [property: JsonPropertyName("contactKey")] string ContactKey,
    [property: JsonPropertyName("purpose")] string Purpose,
    [property: JsonPropertyName("kind")] MessageKind Kind,
    [property: JsonPropertyName("text"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text,
    [property: JsonPropertyName("template"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TemplateContent? Template,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("attempt")] int Attempt = 1)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static OutboundSendCommand For(string sendId, string contactKey, string purpose, MessageKind kind, OutboundMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(sendId, contactKey, purpose, kind, message.Text?.Body, message.Template, now);
    }

    /// <summary>
    /// Id for queues with duplicate detection: the same for a repeated enqueue of one attempt, different for each retry
    /// (a retry must not be discarded as a duplicate of the attempt it follows). Hashed: send ids may be long.
    /// </summary>
    [JsonIgnore]
    public string DeduplicationId => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{SendId}\n{Attempt}")));

    public OutboundMessage ToMessage() => Text is not null
        ? OutboundMessage.FromText(Text)
        : OutboundMessage.FromTemplate(
            Template?.Name ?? throw new InvalidOperationException("A send command carries neither text nor template."),
            Template.Language.Code,
            [.. Template.Components]);

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <exception cref="FormatException">The bytes are not a send command.</exception>
    public static OutboundSendCommand Deserialize(ReadOnlySpan<byte> json)
    {
        try
        {
            var command = JsonSerializer.Deserialize<OutboundSendCommand>(json, Json);
            if (command is null || string.IsNullOrEmpty(command.SendId) || string.IsNullOrEmpty(command.ContactKey) || (command.Text is null && command.Template is null))
            {
                throw new FormatException("Queue message is not a send command.");
            }

            return command;
        }
        catch (JsonException e)
        {
            throw new FormatException("Queue message is not a send command.", e);
        }
    }

    // The text is configured wording, but keep every body out of logs all the same.
    public override string ToString() => $"OutboundSendCommand {{ ContactKey = {ContactKey}, Kind = {Kind}, Attempt = {Attempt} }}";
}
