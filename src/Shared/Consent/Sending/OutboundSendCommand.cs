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
    [property: JsonPropertyName("attempt")] int Attempt = 1,
    [property: JsonPropertyName("sealed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] byte[]? Sealed = null)
{
    /// <summary>Field under which <see cref="Sealed"/> is sealed with the contact's data key.</summary>
    public const string SealedField = "queued-send";

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
    /// A send whose content someone typed for this contact (an agent's reply, its template parameters): the queue
    /// carries it sealed with the contact's key (<see cref="SealContent"/>), so it is unreadable once the contact is erased.
    /// </summary>
    public static OutboundSendCommand ForSealed(string sendId, string contactKey, string purpose, MessageKind kind, byte[] sealedContent, DateTimeOffset now) =>
        new(sendId, contactKey, purpose, kind, null, null, now, Sealed: sealedContent);

    /// <summary>The plaintext <see cref="ForSealed"/> expects, before sealing.</summary>
    public static string SealContent(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.Serialize(new SealedContent(message.Text?.Body, message.Template), Json);
    }

    /// <summary>The message of a sealed command, from its opened content.</summary>
    /// <exception cref="FormatException">The content is not what <see cref="SealContent"/> wrote.</exception>
    public static OutboundMessage OpenContent(string opened)
    {
        try
        {
            var content = JsonSerializer.Deserialize<SealedContent>(opened, Json);
            return content is null ? throw new FormatException("Sealed send content is empty.")
                : new OutboundSendCommand("", "", "", default, content.Text, content.Template, default).ToMessage();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException("Sealed send content is not a message.", e);
        }
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
            if (command is null || string.IsNullOrEmpty(command.SendId) || string.IsNullOrEmpty(command.ContactKey) || (command.Text is null && command.Template is null && command.Sealed is null))
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

    private sealed record SealedContent(string? Text, TemplateContent? Template);

    // The text is configured wording, but keep every body out of logs all the same.
    public override string ToString() => $"OutboundSendCommand {{ ContactKey = {ContactKey}, Kind = {Kind}, Attempt = {Attempt} }}";
}
