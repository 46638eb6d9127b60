namespace Messaging.Shared.Outbound;

/// <summary>
/// Maps a Cloud API error code (reference §3.3) to what the caller should do. Decisions rest on the numeric code only:
/// Meta says titles will be deprecated and <c>error_subcode</c> is gone since v16.0.
/// </summary>
public static class CloudApiErrorClassifier
{
    public static SendErrorCategory Classify(int? code, int? httpStatus = null)
    {
        if (code is null)
        {
            return httpStatus switch
            {
                429 => SendErrorCategory.Throttled,
                >= 500 => SendErrorCategory.Transient,
                401 or 403 or 404 => SendErrorCategory.AuthOrConfig,
                _ => SendErrorCategory.Permanent,
            };
        }

        return code.Value switch
        {
            130429 or 131056 or 4 or 80007 => SendErrorCategory.Throttled,
            131047 => SendErrorCategory.ClosedWindow,
            131050 => SendErrorCategory.MarketingOptOut,
            131049 => SendErrorCategory.EcosystemCap,
            >= 132000 and <= 132999 => SendErrorCategory.TemplateFault,
            131026 => SendErrorCategory.Undeliverable,
            131000 or 131016 or 131057 => SendErrorCategory.Transient,
            // Account-level stops (locked, payment, registration, policy block, test allow-list) need an operator just like a bad token.
            0 or 3 or 10 or 100 or 190 or (>= 200 and <= 299) or 131005 or 131008 or 131009
                or 131030 or 131031 or 131042 or 131045 or 368 => SendErrorCategory.AuthOrConfig,
            _ => httpStatus >= 500 ? SendErrorCategory.Transient : SendErrorCategory.Permanent,
        };
    }

    /// <summary>
    /// Codes for which Meta has certainly not accepted the message and an immediate, backed-off resend is worthwhile.
    /// 131000 ("unknown error") is deliberately absent: Meta's table says "retry limited", so it is left to the outbox.
    /// </summary>
    public static bool IsRetryableImmediately(int code) => code is 130429 or 131056 or 4 or 80007 or 131016 or 131057;

    /// <summary>Failures after which the same send may be attempted again later without risking a duplicate.</summary>
    public static bool IsRetryableLater(SendErrorCategory category) =>
        category is SendErrorCategory.Throttled or SendErrorCategory.Transient or SendErrorCategory.EcosystemCap;
}
