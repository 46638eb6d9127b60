using System.ComponentModel.DataAnnotations;

namespace Messaging.Shared.Configuration;

/// <summary>Settings for the WhatsApp Cloud API app (section <c>Meta</c>).</summary>
public sealed class MetaOptions
{
    public const string Section = "Meta";

    /// <summary>App secret that signs every webhook (X-Hub-Signature-256).</summary>
    [Required(AllowEmptyStrings = false)]
    public string AppSecret { get; set; } = "";

    /// <summary>Token Meta echoes in the GET verification handshake.</summary>
    [Required(AllowEmptyStrings = false)]
    public string VerifyToken { get; set; } = "";

    /// <summary>System-user access token for the Graph API. Empty means "no Meta account": LocalHost uses its sandbox.</summary>
    public string? AccessToken { get; set; }

    public string? PhoneNumberId { get; set; }

    public Uri GraphApiBaseUrl { get; set; } = new("https://graph.facebook.com");

    public string GraphApiVersion { get; set; } = "v24.0";

    /// <summary>The WhatsApp Business Account id whose message templates campaigns use (Graph <c>/{waba-id}/message_templates</c>).</summary>
    public string? BusinessAccountId { get; set; }

    /// <summary>Messages per second per business phone number; Meta's default throughput is 80.</summary>
    [Range(1, 1000)]
    public int MessagesPerSecond { get; set; } = 80;

    public bool HasCredentials => !string.IsNullOrWhiteSpace(AccessToken) && !string.IsNullOrWhiteSpace(PhoneNumberId);
}
