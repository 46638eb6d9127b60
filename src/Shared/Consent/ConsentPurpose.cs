namespace Messaging.Shared.Consent;

/// <summary>
/// Purposes consent is given for. Strings, not an enum, so a deployment can add purposes by configuration;
/// the shape is restricted because purposes end up in table keys, event ids and button payloads.
/// </summary>
public static class ConsentPurpose
{
    public const string Marketing = "marketing";

    public const int MaxLength = 32;

    public static bool IsValid(string? purpose)
    {
        if (string.IsNullOrEmpty(purpose) || purpose.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in purpose)
        {
            if (c is not ((>= 'a' and <= 'z') or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns the purpose unchanged, or throws when it is not lowercase a-z and '-' of at most 32 characters.</summary>
    public static string Validate(string? purpose, string? paramName = null) =>
        IsValid(purpose)
            ? purpose!
            : throw new ArgumentException($"A consent purpose is 1-{MaxLength} characters of a-z and '-'.", paramName ?? nameof(purpose));
}
