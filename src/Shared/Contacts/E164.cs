using PhoneNumbers;

namespace Messaging.Shared.Contacts;

/// <summary>Normalises phone numbers to E.164, the one form every alias is keyed on.</summary>
public static class E164
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Parses an international number (leading + or 00); null when it is not a valid number.</summary>
    public static string? TryNormalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32)
        {
            return null;
        }

        var text = input.Trim();
        if (text.StartsWith("00", StringComparison.Ordinal))
        {
            text = "+" + text[2..];
        }

        try
        {
            var number = Util.Parse(text, "ZZ");
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>A WhatsApp id is the number's digits without the plus; Meta has already validated it.</summary>
    public static string FromWaId(string waId) => "+" + waId.Trim().TrimStart('+');
}
