using Messaging.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Security;

/// <summary>The key-encryption key: wraps per-contact data keys and seals data that belongs to no contact yet.</summary>
public sealed class MasterKey
{
    private readonly byte[] _key;

    public MasterKey(IOptions<SecurityOptions> options)
        : this(SecretMaterial.FromBase64(options.Value.MasterKey, "Security:MasterKey", 32))
    {
    }

    public MasterKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
        {
            throw new ArgumentException("The master key must be 32 bytes.", nameof(key));
        }

        _key = key[..32];
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string associatedData) => SealedBox.Seal(_key, plaintext, associatedData);

    public byte[] Open(ReadOnlySpan<byte> sealedData, string associatedData) => SealedBox.Open(_key, sealedData, associatedData);
}
