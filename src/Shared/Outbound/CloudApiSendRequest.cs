namespace Messaging.Shared.Outbound;

/// <summary>
/// The JSON body of <c>POST /{version}/{phone-number-id}/messages</c> (reference §2.6), serialized snake_case.
/// Recipients are addressed by E.164 phone number only: the reference shows BSUIDs in webhooks and an error for
/// unsupported BSUID recipients (131062), but documents no send-side field for them, so none is guessed here.
/// </summary>
public sealed record CloudApiSendRequest(
    string To,
    string Type,
    TextContent? Text,
    TemplateContent? Template,
    string? BizOpaqueCallbackData,
    InteractiveContent? Interactive = null)
{
    public string MessagingProduct { get; } = "whatsapp";

    public string RecipientType { get; } = "individual";

    /// <param name="to">E.164 number of the recipient.</param>
    /// <param name="bizOpaqueCallbackData">Echoed by Meta in status webhooks; must carry no personal data.</param>
    public static CloudApiSendRequest Create(string to, OutboundMessage message, string? bizOpaqueCallbackData) =>
        new(to, message.Type, message.Text, message.Template, bizOpaqueCallbackData, message.Interactive);

    public override string ToString() => $"CloudApiSendRequest {{ Type = {Type} }}";
}
