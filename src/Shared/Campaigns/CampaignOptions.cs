namespace Messaging.Shared.Campaigns;

/// <summary>Settings of section <c>Campaigns</c>.</summary>
public sealed class CampaignOptions
{
    public const string Section = "Campaigns";

    /// <summary>Sends of one page in flight at once; the throughput limiter, not this, sets the pace.</summary>
    public int SendConcurrency { get; set; } = 64;

    /// <summary>Privacy notice version recorded with a withdrawal learnt from Meta's 131050.</summary>
    public string? PrivacyNoticeVersion { get; set; }
}
