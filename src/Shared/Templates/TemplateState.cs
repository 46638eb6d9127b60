namespace Messaging.Shared.Templates;

/// <summary>
/// What we know about one message template from Meta's webhooks: review status (APPROVED, PAUSED, DISABLED, ...),
/// category (and the category Meta will move it to), and quality score. Nothing personal.
/// </summary>
public sealed record TemplateState(
    string TemplateId,
    string? Name,
    string? Language,
    string? Status,
    string? StatusReason,
    string? Category,
    string? UpcomingCategory,
    string? Quality,
    DateTimeOffset? StatusAt,
    DateTimeOffset? CategoryAt,
    DateTimeOffset? QualityAt)
{
    /// <summary>Meta accepts sends of this template (approved, or reinstated after a pause or flag).</summary>
    public bool IsSendable => Status is "APPROVED" or "REINSTATED";
}
