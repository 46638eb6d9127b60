namespace Messaging.Shared.Security;

/// <summary>Decodes configured key material and refuses material too weak to protect personal data.</summary>
public static class SecretMaterial
{
    public static byte[] FromBase64(string? value, string settingName, int minimumBytes)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException($"Setting '{settingName}' is not configured.");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(value.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"Setting '{settingName}' must be base64 ({minimumBytes} random bytes or more).");
        }

        if (bytes.Length < minimumBytes)
        {
            throw new InvalidOperationException($"Setting '{settingName}' must hold at least {minimumBytes} bytes; it holds {bytes.Length}.");
        }

        return bytes;
    }
}
