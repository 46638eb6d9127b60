namespace Messaging.Shared.Campaigns;

/// <summary>Why members of the requested audience are not in the snapshot.</summary>
public sealed record CampaignExclusions(int NoConsent, int Withdrawn, int Erased, int UnknownContact, int Duplicate)
{
    public static CampaignExclusions None { get; } = new(0, 0, 0, 0, 0);
}
