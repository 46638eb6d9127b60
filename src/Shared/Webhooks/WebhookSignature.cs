using System.Security.Cryptography;
using System.Text;

namespace Messaging.Shared.Webhooks;

/// <summary>Outcome of checking <c>X-Hub-Signature-256</c>.</summary>
public enum SignatureCheck
{
    Valid,
    Missing,
    Malformed,
    Mismatch,
}

/// <summary>
/// Meta signs the raw request bytes (with non-ASCII characters already \u-escaped by Meta) using HMAC-SHA256 and
/// the app secret, sent as <c>sha256=&lt;hex&gt;</c>. We hash the bytes exactly as received and compare in
/// constant time, so neither re-serialisation nor timing leaks can weaken the check.
/// </summary>
public sealed class WebhookSignature
{
    private const string Prefix = "sha256=";
    private readonly byte[] _appSecret;

    public WebhookSignature(string appSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        _appSecret = Encoding.UTF8.GetBytes(appSecret);
    }

    public SignatureCheck Verify(string? header, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(header))
        {
            return SignatureCheck.Missing;
        }

        var value = header.AsSpan().Trim();
        if (!value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || value.Length != Prefix.Length + 64)
        {
            return SignatureCheck.Malformed;
        }

        Span<byte> claimed = stackalloc byte[32];
        if (Convert.FromHexString(value[Prefix.Length..], claimed, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return SignatureCheck.Malformed;
        }

        Span<byte> actual = stackalloc byte[32];
        HMACSHA256.HashData(_appSecret, body, actual);
        return CryptographicOperations.FixedTimeEquals(actual, claimed) ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    /// <summary>The header value Meta would send for <paramref name="body"/>; used by the sandbox and tests.</summary>
    public string Sign(ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_appSecret, body, mac);
        return Prefix + Convert.ToHexStringLower(mac);
    }
}
