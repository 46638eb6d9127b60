using System.Diagnostics.CodeAnalysis;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// Recognises answers to the double opt-in template. Quick-reply buttons carry payloads we set at send time
/// ("doi:{requestId}:confirm" / "doi:{requestId}:decline"): opaque, tied to one request, free of personal data.
/// Typed answers count only when the whole message is JA/YES or NEIN/NO (case, surrounding whitespace and a
/// trailing "!" or "." aside); anything longer is for a human to read.
/// </summary>
public static class DoubleOptInReplies
{
    private const string Prefix = "doi:";
    private const string ConfirmSuffix = "confirm";
    private const string DeclineSuffix = "decline";

    public static string ButtonPayload(string requestId, ReplyKind kind)
    {
        ConsentRequestId.Validate(requestId, nameof(requestId));
        return kind switch
        {
            ReplyKind.Confirm => $"{Prefix}{requestId}:{ConfirmSuffix}",
            ReplyKind.Decline => $"{Prefix}{requestId}:{DeclineSuffix}",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown reply kind."),
        };
    }

    public static bool TryParseButtonPayload(string? payload, [NotNullWhen(true)] out string? requestId, out ReplyKind kind)
    {
        requestId = null;
        kind = default;
        if (payload is null || !payload.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = payload.AsSpan(Prefix.Length);
        var separator = rest.LastIndexOf(':');
        if (separator <= 0)
        {
            return false;
        }

        var suffix = rest[(separator + 1)..];
        if (suffix.SequenceEqual(ConfirmSuffix))
        {
            kind = ReplyKind.Confirm;
        }
        else if (suffix.SequenceEqual(DeclineSuffix))
        {
            kind = ReplyKind.Decline;
        }
        else
        {
            return false;
        }

        var candidate = rest[..separator].ToString();
        if (!ConsentRequestId.IsValid(candidate))
        {
            return false;
        }

        requestId = candidate;
        return true;
    }

    /// <summary>
    /// The answer a message gives to a double opt-in, or null when it is not one.
    /// </summary>
    /// <param name="messageType">The webhook's <c>messages[].type</c>: "button" for a template quick reply, "interactive"
    /// for a reply button we sent ourselves, "text" for typed text; anything else is never an answer.</param>
    /// <param name="text">The text body for "text" messages.</param>
    /// <param name="buttonPayload"><c>button.payload</c> for "button", <c>interactive.button_reply.id</c> for "interactive".</param>
    /// <param name="requestId">The open request, when the caller knows it: a button of any other request is not an answer.</param>
    public static ReplyKind? Classify(string? messageType, string? text, string? buttonPayload, string? requestId = null)
    {
        switch (messageType)
        {
            case "button" or "interactive":
                // The button's label is not consulted: only our own payload proves which request was answered.
                return TryParseButtonPayload(buttonPayload, out var payloadRequestId, out var kind)
                    && (requestId is null || string.Equals(requestId, payloadRequestId, StringComparison.Ordinal))
                        ? kind
                        : null;
            case "text":
                return WholeMessageText.Normalize(text) switch
                {
                    "JA" or "YES" => ReplyKind.Confirm,
                    "NEIN" or "NO" => ReplyKind.Decline,
                    _ => null,
                };
            default:
                return null;
        }
    }
}
