using System.Security.Cryptography;
using System.Text;

namespace Messaging.Shared.Security;

/// <summary>
/// Compares a presented secret (API key, verify token, bearer token) with the configured one in constant time.
/// Both sides are hashed first, so neither the content nor the length of the configured secret shows in timing.
/// </summary>
public static class SecretComparison
{
    public static bool Matches(string? presented, string? expected)
    {
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(expected))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}
