namespace Messaging.Shared.Consent;

/// <summary>
/// A consent request (one double opt-in) is identified by an opaque id chosen by the caller. It is embedded in
/// event ids, command ids and quick-reply button payloads, so it is restricted to characters that are safe as a
/// Table Storage key and cannot be confused with the ':' separator those use.
/// </summary>
public static class ConsentRequestId
{
    public const int MaxLength = 64;

    public static bool IsValid(string? requestId)
    {
        if (string.IsNullOrEmpty(requestId) || requestId.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in requestId)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    public static string Validate(string? requestId, string? paramName = null) =>
        IsValid(requestId)
            ? requestId!
            : throw new ArgumentException($"A consent request id is 1-{MaxLength} characters of A-Z, a-z, 0-9, '-' and '_'.", paramName ?? nameof(requestId));
}
