using System.Security.Cryptography;
using System.Text;
using Messaging.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Security;

/// <summary>
/// Turns identifiers (phone numbers, WhatsApp ids, message ids) into opaque keys with an HMAC and a secret
/// pepper, so no table key, queue name or log line reveals the identifier, and the key cannot be
/// recomputed by someone who only has the storage account.
/// </summary>
public sealed class KeyedHasher
{
    private readonly byte[] _pepper;

    public KeyedHasher(IOptions<SecurityOptions> options)
        : this(SecretMaterial.FromBase64(options.Value.Pepper, "Security:Pepper", 16))
    {
    }

    public KeyedHasher(byte[] pepper)
    {
        ArgumentNullException.ThrowIfNull(pepper);
        _pepper = (byte[])pepper.Clone();
    }

    /// <summary>128-bit lowercase hex HMAC of <paramref name="value"/> in the namespace <paramref name="purpose"/>.</summary>
    public string Hash(string purpose, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        ArgumentNullException.ThrowIfNull(value);
        var input = Encoding.UTF8.GetBytes(purpose + "\n" + value);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_pepper, input, mac);
        return Convert.ToHexStringLower(mac[..16]);
    }
}
