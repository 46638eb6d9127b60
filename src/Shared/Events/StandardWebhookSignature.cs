using System.Security.Cryptography;
using System.Text;

namespace Messaging.Shared.Events;

/// <summary>
/// The Standard Webhooks signature: <c>v1,</c> + base64 HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c> with the
/// decoded secret. Receivers verify with the same computation and a constant-time compare.
/// </summary>
public static class StandardWebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public static string Sign(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(key);
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }
}
