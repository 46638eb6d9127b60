namespace Messaging.Shared.Consent.Sending;

/// <summary>The outcome of <see cref="SendPolicy.Decide"/>: whether to send, and a machine-readable reason without personal data.</summary>
public sealed record SendDecision(bool Allowed, SendDecisionReason Reason)
{
    public static SendDecision Allow(SendDecisionReason reason) => new(true, reason);

    public static SendDecision Deny(SendDecisionReason reason) => new(false, reason);
}
