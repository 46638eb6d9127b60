namespace Messaging.Shared.Webhooks;

/// <summary>
/// One thing Meta told us in a webhook. Every event has an <see cref="EventId"/> that is stable across Meta's
/// retries, so the inbox can de-duplicate it. Event ids may embed identifiers; they are only ever stored hashed.
/// </summary>
public abstract record WebhookEvent(string PhoneNumberId)
{
    public abstract string EventId { get; }
}

/// <summary>A contact as listed in <c>value.contacts[]</c>.</summary>
public sealed record WebhookContact(string? WaId, string? UserId, string? ParentUserId, string? ProfileName);

/// <summary>An error object from <c>errors[]</c> (value level, message level or status level).</summary>
public sealed record WebhookError(int Code, string? Title, string? Message, string? Details);

/// <summary>A change of number or identity announced by a <c>system</c> message.</summary>
public sealed record SystemChange(string Type, string? NewWaId, string? NewUserId);

/// <summary>A message a customer sent us (<c>messages[]</c>), of any type, known or not.</summary>
public sealed record InboundMessage(
    string PhoneNumberId,
    string MessageId,
    string? FromWaId,
    string? FromUserId,
    DateTimeOffset Timestamp,
    string Type,
    string? Text,
    string? ButtonPayload,
    string? InteractiveReplyId,
    string? ContextMessageId,
    SystemChange? System,
    WebhookContact? Contact,
    IReadOnlyList<WebhookError> Errors,
    string RawJson) : WebhookEvent(PhoneNumberId)
{
    public override string EventId => "m:" + MessageId;
}

/// <summary>A delivery status for a message we sent (<c>statuses[]</c>).</summary>
public sealed record StatusUpdate(
    string PhoneNumberId,
    string MessageId,
    string Status,
    DateTimeOffset Timestamp,
    string? RecipientWaId,
    string? RecipientUserId,
    string? BizOpaqueCallbackData,
    string? PricingCategory,
    IReadOnlyList<WebhookError> Errors) : WebhookEvent(PhoneNumberId)
{
    public override string EventId => $"s:{MessageId}:{Status}";
}

/// <summary>An error not tied to a message (<c>value.errors[]</c>).</summary>
public sealed record AccountErrorEvent(string PhoneNumberId, WebhookError Error, string Fingerprint) : WebhookEvent(PhoneNumberId)
{
    public override string EventId => $"e:{PhoneNumberId}:{Error.Code}:{Fingerprint}";
}

/// <summary>A marketing stop/resume a user set in WhatsApp itself (<c>user_preferences[]</c>).</summary>
public sealed record UserPreferenceChange(
    string PhoneNumberId,
    string? WaId,
    string? UserId,
    string Category,
    string Value,
    DateTimeOffset Timestamp,
    string? Detail) : WebhookEvent(PhoneNumberId)
{
    public override string EventId => $"p:{UserId ?? WaId}:{Category}:{Value}:{Timestamp.ToUnixTimeSeconds()}";
}

/// <summary>A change whose field or shape we do not process; kept (sealed) so nothing Meta sent is lost.</summary>
public sealed record UnhandledChange(string PhoneNumberId, string Field, string RawJson, string Fingerprint) : WebhookEvent(PhoneNumberId)
{
    public override string EventId => $"u:{Field}:{Fingerprint}";
}
