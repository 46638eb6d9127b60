using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messaging.Shared.LocalHostOnly.Sandbox;

/// <summary>
/// Builds webhook bodies exactly as the Cloud API shapes them (reference §2.1–§2.5), so the sandbox exercises the
/// real webhook endpoint, signature check and parser rather than a shortcut. Returned as the raw bytes to sign:
/// the serializer escapes non-ASCII characters as <c>\uXXXX</c>, as Meta does on the wire.
/// </summary>
public static class SandboxWebhooks
{
    /// <summary>A customer's text message (§2.1).</summary>
    public static byte[] InboundText(SandboxBusiness business, string waId, string? profileName, string wamid, DateTimeOffset timestamp, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var message = InboundMessage(waId, wamid, timestamp, "text", null);
        message["text"] = new JsonObject { ["body"] = text };
        return Messages(business, waId, profileName, message);
    }

    /// <summary>A tap on a template's quick-reply button (§2.2): <c>type: "button"</c>, with the tapped message as context.</summary>
    public static byte[] InboundButton(SandboxBusiness business, string waId, string? profileName, string wamid, DateTimeOffset timestamp, string payload, string buttonText, string? contextMessageId)
    {
        ArgumentException.ThrowIfNullOrEmpty(payload);
        ArgumentException.ThrowIfNullOrEmpty(buttonText);
        var message = InboundMessage(waId, wamid, timestamp, "button", contextMessageId is null ? null : new JsonObject
        {
            ["from"] = business.DisplayPhoneNumber,
            ["id"] = contextMessageId,
        });
        message["button"] = new JsonObject { ["payload"] = payload, ["text"] = buttonText };
        return Messages(business, waId, profileName, message);
    }

    /// <summary>
    /// A delivery status (§2.3) in the v24.0+ shape: per-message pricing, no <c>conversation</c> object. A failed status
    /// carries <c>errors[]</c> and no pricing, since a message that was not delivered is not charged.
    /// </summary>
    public static byte[] Status(SandboxBusiness business, string wamid, string status, DateTimeOffset timestamp, string recipientWaId, string pricingCategory, string? bizOpaqueCallbackData, SandboxError? error = null)
    {
        ArgumentNullException.ThrowIfNull(business);
        ArgumentException.ThrowIfNullOrEmpty(status);
        var entry = new JsonObject
        {
            ["id"] = wamid,
            ["status"] = status,
            ["timestamp"] = Seconds(timestamp),
            ["recipient_id"] = recipientWaId,
        };
        if (bizOpaqueCallbackData is not null)
        {
            entry["biz_opaque_callback_data"] = bizOpaqueCallbackData;
        }

        if (error is null)
        {
            entry["pricing"] = new JsonObject
            {
                ["billable"] = pricingCategory != "service",
                ["pricing_model"] = "PMP",
                ["category"] = pricingCategory,
            };
        }
        else
        {
            entry["errors"] = new JsonArray(new JsonObject
            {
                ["code"] = error.Code,
                ["title"] = error.Title,
                ["message"] = error.Title,
                ["error_data"] = new JsonObject { ["details"] = error.Details },
                ["href"] = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
            });
        }

        var value = Value(business);
        value["statuses"] = new JsonArray(entry);
        return Envelope(business, value, "messages");
    }

    /// <summary>A marketing stop or resume the user chose in WhatsApp itself (§2.5).</summary>
    public static byte[] UserPreference(SandboxBusiness business, string waId, string preference, DateTimeOffset timestamp)
    {
        if (preference is not ("stop" or "resume"))
        {
            throw new ArgumentOutOfRangeException(nameof(preference), "Meta sends stop or resume.");
        }

        var value = Value(business);
        value["contacts"] = new JsonArray(new JsonObject { ["wa_id"] = waId });
        value["user_preferences"] = new JsonArray(new JsonObject
        {
            ["wa_id"] = waId,
            ["detail"] = preference == "stop" ? "User requested to stop marketing messages" : "User requested to resume marketing messages",
            ["category"] = "marketing_messages",
            ["value"] = preference,
            // Meta sends this one as a number, unlike the string timestamps of messages and statuses.
            ["timestamp"] = timestamp.ToUnixTimeSeconds(),
        });
        return Envelope(business, value, "user_preferences");
    }

    private static JsonObject InboundMessage(string waId, string wamid, DateTimeOffset timestamp, string type, JsonObject? context)
    {
        ArgumentException.ThrowIfNullOrEmpty(waId);
        ArgumentException.ThrowIfNullOrEmpty(wamid);
        var message = new JsonObject();
        if (context is not null)
        {
            message["context"] = context;
        }

        message["from"] = waId;
        message["id"] = wamid;
        message["timestamp"] = Seconds(timestamp);
        message["type"] = type;
        return message;
    }

    private static byte[] Messages(SandboxBusiness business, string waId, string? profileName, JsonObject message)
    {
        var value = Value(business);
        value["contacts"] = new JsonArray(new JsonObject
        {
            ["profile"] = new JsonObject { ["name"] = string.IsNullOrWhiteSpace(profileName) ? "Sandbox customer" : profileName },
            ["wa_id"] = waId,
        });
        value["messages"] = new JsonArray(message);
        return Envelope(business, value, "messages");
    }

    private static JsonObject Value(SandboxBusiness business)
    {
        ArgumentNullException.ThrowIfNull(business);
        return new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["metadata"] = new JsonObject
            {
                ["display_phone_number"] = business.DisplayPhoneNumber,
                ["phone_number_id"] = business.PhoneNumberId,
            },
        };
    }

    private static byte[] Envelope(SandboxBusiness business, JsonObject value, string field)
    {
        var root = new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = business.BusinessAccountId,
                ["changes"] = new JsonArray(new JsonObject { ["value"] = value, ["field"] = field }),
            }),
        };
        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    private static string Seconds(DateTimeOffset timestamp) => timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
