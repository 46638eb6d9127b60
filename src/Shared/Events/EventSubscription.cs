using System.Security.Cryptography;
using System.Text;

namespace Messaging.Shared.Events;

/// <summary>One receiver of events (Events:Subscriptions:N).</summary>
public sealed class EventSubscription
{
    public const string SecretPrefix = "whsec_";

    public Uri? Url { get; set; }

    /// <summary><c>whsec_</c> + base64 of the signing key, as the Standard Webhooks specification writes it.</summary>
    public string Secret { get; set; } = "";

    public List<string> Types { get; set; } = [];

    /// <summary>False (default): events carry the contact key and kinds only. True adds text and profile name.</summary>
    public bool IncludeContent { get; set; }

    /// <summary>Stable id of the receiver for cursors and parked rows; derived from the URL, which holds no personal data.</summary>
    public string Id => "s" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Url?.AbsoluteUri ?? "")))[..16];

    public bool Wants(string type) => Types.Contains(type, StringComparer.Ordinal);

    public byte[] SigningKey()
    {
        var encoded = Secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? Secret[SecretPrefix.Length..] : Secret;
        return Convert.FromBase64String(encoded);
    }

    public override string ToString() => $"EventSubscription {{ Id = {Id} }}";
}
