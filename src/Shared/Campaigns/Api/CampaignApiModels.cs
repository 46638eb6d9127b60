namespace Messaging.Shared.Campaigns.Api;

/// <summary>At most one of the three audiences (none: a CSV upload follows). Phone numbers travel only in request bodies.</summary>
public sealed record CampaignAudienceBody(IReadOnlyList<string>? Phones, IReadOnlyList<string>? ContactKeys, CampaignSegmentBody? Segment);

public sealed record CampaignSegmentBody(string? Consent);

public sealed record CreateCampaignBody(string? Name, CampaignTemplateRef? Template, string? Purpose, CampaignAudienceBody? Audience, DateTimeOffset? SendAt);

public sealed record CampaignCreated(string CampaignId, string Status, int AudienceSize, int Eligible, CampaignExclusions Excluded);

public sealed record CampaignCommandAccepted(string CampaignId, string Command);

public sealed record CampaignFailures(IReadOnlyDictionary<string, int> ByCode);

public sealed record CampaignResponse(
    string CampaignId,
    string Name,
    CampaignTemplateRef Template,
    string Status,
    string? PausedReason,
    int Total,
    int Eligible,
    CampaignExclusions Excluded,
    int Sent,
    int Delivered,
    int Read,
    CampaignFailures Failed,
    IReadOnlyDictionary<string, int> Skipped,
    double? RatePerSecond,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? Eta);

/// <param name="Status">As the latest template webhook left it, else as Graph reports it.</param>
/// <param name="Quality">GREEN, YELLOW or RED from <c>message_template_quality_update</c>, when Meta sent one.</param>
public sealed record TemplateResponse(
    string Name,
    string Language,
    string Category,
    string Status,
    IReadOnlyList<Templates.MessageTemplateComponent> Components,
    int BodyParameterCount,
    string? Id = null,
    string? Quality = null);
