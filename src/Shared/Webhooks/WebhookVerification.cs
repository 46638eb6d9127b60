using Messaging.Shared.Security;

namespace Messaging.Shared.Webhooks;

/// <summary>Meta's GET handshake: echo <c>hub.challenge</c> when the mode is subscribe and the token matches.</summary>
public static class WebhookVerification
{
    /// <returns>The challenge to answer with, or null when the request must be refused.</returns>
    public static string? Challenge(string? mode, string? verifyToken, string? challenge, string expectedToken)
    {
        if (mode != "subscribe" || verifyToken is null || challenge is null || string.IsNullOrEmpty(expectedToken))
        {
            return null;
        }

        // Meta documents an integer; anything else is not a handshake and must not be reflected back.
        if (challenge.Length is 0 or > 128 || !challenge.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        return SecretComparison.Matches(verifyToken, expectedToken) ? challenge : null;
    }
}
