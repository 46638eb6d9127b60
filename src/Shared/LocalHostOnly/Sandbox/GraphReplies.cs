using System.Text.Json.Nodes;

namespace Messaging.Shared.LocalHostOnly.Sandbox;

/// <summary>The bodies Graph answers a send with (reference §2.6): the 200 receipt and the error envelope.</summary>
public static class GraphReplies
{
    /// <summary><c>message_status</c> appears for template sends only, as at Meta (template pacing).</summary>
    public static JsonObject Accepted(SandboxSend send, string wamid)
    {
        ArgumentNullException.ThrowIfNull(send);
        var receipt = new JsonObject { ["id"] = wamid };
        if (send.Type == "template")
        {
            receipt["message_status"] = "accepted";
        }

        return new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = send.To, ["wa_id"] = send.WaId }),
            ["messages"] = new JsonArray(receipt),
        };
    }

    public static JsonObject Error(SandboxError error, string fbtraceId, string type = "OAuthException")
    {
        ArgumentNullException.ThrowIfNull(error);
        return new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = $"(#{error.Code}) {error.Title}",
                ["type"] = type,
                ["code"] = error.Code,
                ["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = error.Details },
                ["fbtrace_id"] = fbtraceId,
            },
        };
    }
}
