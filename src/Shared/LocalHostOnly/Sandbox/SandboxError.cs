namespace Messaging.Shared.LocalHostOnly.Sandbox;

/// <summary>A Cloud API error the sandbox reports, either synchronously (error envelope) or in a failed status webhook.</summary>
public sealed record SandboxError(int Code, string Title, string Details, int HttpStatus = 400)
{
    /// <summary>Errors the sandbox can be asked to produce, with Meta's titles (reference §3.3).</summary>
    public static SandboxError? Known(int code) => code switch
    {
        100 => new(100, "Invalid parameter", "Simulated by the sandbox."),
        130429 => new(130429, "Rate limit hit", "Simulated by the sandbox: too many messages in a short time."),
        131026 => new(131026, "Message undeliverable", "Simulated by the sandbox: the recipient cannot receive this message."),
        131047 => new(131047, "Re-engagement message", "Message failed to send because more than 24 hours have passed since the customer last replied to this number."),
        131049 => new(131049, "This message was not delivered to maintain healthy ecosystem engagement.", "Simulated by the sandbox: per-user marketing limit."),
        131050 => new(131050, "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business", "Simulated by the sandbox: the user stopped marketing messages."),
        131056 => new(131056, "(Business Account, Consumer Account) pair rate limit hit", "Simulated by the sandbox: too many messages to this user."),
        132001 => new(132001, "Template name does not exist in the translation", "Simulated by the sandbox."),
        132015 => new(132015, "Template is Paused", "Simulated by the sandbox: the template is paused."),
        _ => null,
    };

    /// <summary>
    /// Codes Meta reports after accepting the message (a failed status webhook) rather than in the send response:
    /// the marketing stop and the ecosystem cap (§2.3, §3.5), experiments and paused-template drops.
    /// </summary>
    public bool ArrivesAsStatus => Code is 131050 or 131049 or 130472 or 132015;
}
