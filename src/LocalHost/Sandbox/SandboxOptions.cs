namespace Messaging.LocalHost.Sandbox;

/// <summary>Settings for the built-in Meta sandbox (section <c>Sandbox</c>); every one has a working default.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>
    /// The address this app is reachable at, for the fake Graph URL and the webhooks the sandbox posts back.
    /// Empty: the first http URL of ASPNETCORE_URLS (wildcard hosts become 127.0.0.1), else Kestrel's default.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>Bearer token the fake Graph endpoint accepts. Empty (the normal case): a random token per process.</summary>
    public string? AccessToken { get; set; }

    public string PhoneNumberId { get; set; } = "100000000000001";

    public string DisplayPhoneNumber { get; set; } = "15550000001";

    public string BusinessAccountId { get; set; } = "100000000000009";

    public TimeSpan SentAfter { get; set; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan DeliveredAfter { get; set; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan ReadAfter { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>How many messages the in-memory store keeps across all conversations; the oldest go first.</summary>
    public int MaxMessages { get; set; } = 500;

    /// <summary>
    /// Pricing category per template name (marketing, utility, authentication). Graph knows it from the approved
    /// template; the sandbox cannot, so unlisted templates count as <see cref="DefaultTemplateCategory"/>.
    /// </summary>
    public Dictionary<string, string> TemplateCategories { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Marketing by default: the strictest category, the one a marketing stop (131050) blocks.</summary>
    public string DefaultTemplateCategory { get; set; } = "marketing";
}
