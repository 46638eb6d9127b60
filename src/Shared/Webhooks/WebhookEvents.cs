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

    /// <summary>For <c>revoke</c> and <c>edit</c>: the message they change. Such a message is no message of its own.</summary>
    public string? OriginalMessageId { get; init; }

    public bool IsRevision => Type is "revoke" or "edit" && OriginalMessageId is not null;
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
    public override string EventId => IsGroup ? $"s:{MessageId}:{Status}:{PersonUserId ?? PersonWaId}" : $"s:{MessageId}:{Status}";

    /// <summary><c>group</c> for a message sent to a group: <see cref="RecipientWaId"/> is then the group's id, not a person.</summary>
    public string? RecipientType { get; init; }

    /// <summary>For group messages, the member this status is about (<c>recipient_participant_id</c>, a phone number).</summary>
    public string? ParticipantWaId { get; init; }

    /// <summary>For group messages, the member's business-scoped user id (<c>recipient_participant_user_id</c>).</summary>
    public string? ParticipantUserId { get; init; }

    public bool IsGroup => RecipientType == "group";

    /// <summary>The person the status is about: the member for a group message (never the group), else the recipient.</summary>
    public string? PersonWaId => IsGroup ? ParticipantWaId : RecipientWaId;

    public string? PersonUserId => IsGroup ? ParticipantUserId : RecipientUserId;
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

/// <summary>
/// A change to a message template: its review status (<c>message_template_status_update</c>), its category
/// (<c>template_category_update</c>) or its quality score (<c>message_template_quality_update</c>). Values are Meta's,
/// e.g. APPROVED, PAUSED, DISABLED; MARKETING, UTILITY; GREEN, YELLOW, RED. <paramref name="At"/> is the entry's time.
/// </summary>
public sealed record TemplateUpdate(
    string PhoneNumberId,
    string Field,
    string TemplateId,
    string? Name,
    string? Language,
    string? Status,
    string? Reason,
    string? Category,
    string? PreviousCategory,
    string? CorrectCategory,
    string? Quality,
    string? PreviousQuality,
    DateTimeOffset At,
    string Fingerprint) : WebhookEvent(PhoneNumberId)
{
    public override string EventId => $"t:{Field}:{TemplateId}:{Fingerprint}";
}

/// <summary>
/// A business number's messaging limit or throughput changed (<c>phone_number_quality_update</c>), e.g. the event
/// THROUGHPUT_UPGRADE. The display number is the business's own, not a customer's.
/// </summary>
public sealed record PhoneNumberQualityUpdate(
    string PhoneNumberId,
    string DisplayPhoneNumber,
    string? Event,
    string? CurrentLimit,
    string? OldLimit,
    string? MaxDailyConversations,
    DateTimeOffset At,
    string Fingerprint) : WebhookEvent(PhoneNumberId)
{
    public override string EventId => $"q:{DisplayPhoneNumber}:{Fingerprint}";
}
