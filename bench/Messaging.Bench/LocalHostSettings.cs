using System.Security.Cryptography;

namespace Messaging.Bench;

/// <summary>The environment a benchmarked LocalHost runs with: what a production host requires, nothing more.</summary>
internal static class LocalHostSettings
{
    public const string PrivacyNoticeUrl = "https://bench.example/privacy";

    public static Dictionary<string, string> For(string storage, string appSecret, string pepper, string prefix, bool processing) => new()
    {
        ["Storage__ConnectionString"] = storage,
        ["Meta__AppSecret"] = appSecret,
        ["Meta__VerifyToken"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
        ["Security__Pepper"] = pepper,
        ["Security__MasterKey"] = Secret(),
        ["Storage__NamePrefix"] = prefix,
        ["Api__Key"] = "bench-" + Guid.NewGuid().ToString("N"),
        ["Processing__Enabled"] = processing ? "true" : "false",
        // A production-like host refuses to start without the consent wording every proof references.
        ["Consent__BusinessName"] = "Bench Bakery",
        ["Consent__BusinessPhoneNumber"] = "4930901820",
        ["Consent__PrivacyNoticeUrl"] = PrivacyNoticeUrl,
        ["Consent__PrivacyNoticeVersion"] = "bench-1",
        ["Consent__ConsentTextVersion"] = "bench-1",
        ["Consent__MarketingConsentTextDe"] = "Ja, ich möchte Angebote per WhatsApp.",
        ["Consent__MarketingConsentTextEn"] = "Yes, I want offers on WhatsApp.",
    };

    /// <summary>Points outbound at a fake Cloud API instead of the built-in sandbox (which dies with the process).</summary>
    public static Dictionary<string, string> WithGraph(this Dictionary<string, string> settings, Uri graph)
    {
        settings["Meta__AccessToken"] = FakeGraph.Token;
        settings["Meta__PhoneNumberId"] = FakeGraph.PhoneNumberId;
        settings["Meta__GraphApiBaseUrl"] = graph.ToString();
        return settings;
    }

    public static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
