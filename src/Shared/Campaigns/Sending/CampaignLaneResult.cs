namespace Messaging.Shared.Campaigns.Sending;

/// <summary>A page after one dispatch: its rows, how many were throttled (130429), and a pause reason (132015) if any.</summary>
public sealed record CampaignLaneResult(IReadOnlyList<CampaignRecipientEntity> Rows, int Throttled, string? PauseReason);
