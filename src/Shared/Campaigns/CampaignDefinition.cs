namespace Messaging.Shared.Campaigns;

/// <summary>What a campaign was created with, and who was left out of its snapshot and why (counts only).</summary>
public sealed record CampaignDefinition(
    string CampaignId,
    string Name,
    CampaignTemplateRef Template,
    string Purpose,
    int AudienceSize,
    int Eligible,
    CampaignExclusions Excluded,
    DateTimeOffset CreatedAt);
