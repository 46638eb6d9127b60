namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// A command's outcome as plain data (it crosses Durable's activity boundary): "sent" with the outbox's opaque
/// reference, "failed" with a reason code, or "none" for commands the workflow needs no answer to.
/// </summary>
public sealed record DoubleOptInCommandResult(string Outcome, string? Reference, string? FailureReason)
{
    public static DoubleOptInCommandResult None { get; } = new("none", null, null);

    public static DoubleOptInCommandResult SentWith(string reference) => new("sent", reference, null);

    public static DoubleOptInCommandResult FailedWith(string reason) => new("failed", null, reason);

    /// <summary>The input to feed back into the decider, stamped with the host's (replay-safe) clock.</summary>
    public DoubleOptInInput? ToInput(DateTimeOffset at) => Outcome switch
    {
        "sent" => new DoubleOptInInput.ConfirmationSent(Reference, at),
        "failed" => new DoubleOptInInput.ConfirmationFailed(FailureReason ?? "unknown", at),
        _ => null,
    };
}
