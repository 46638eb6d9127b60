namespace Messaging.Shared.Campaigns;

/// <summary>What a campaign was created with, and who was left out of its snapshot and why (counts only).</summary>
/// <param name="Audience">The snapshot in use: null for the one written at creation, else an uploaded CSV's id.</param>
/// <param name="RequestFingerprint">Hash of the create request, when it came with an Idempotency-Key: a retry must match it.</param>
public sealed record CampaignDefinition(
    string CampaignId,
    string Name,
    CampaignTemplateRef Template,
    string Purpose,
    int AudienceSize,
    int Eligible,
    CampaignExclusions Excluded,
    DateTimeOffset CreatedAt,
    string? Audience = null,
    string? RequestFingerprint = null);
