namespace Messaging.Shared.Campaigns;

/// <summary>The approved template a campaign sends: its name and language code, as Meta identifies it.</summary>
public sealed record CampaignTemplateRef(string Name, string Language);
