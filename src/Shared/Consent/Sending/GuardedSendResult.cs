using Messaging.Shared.Outbound;

namespace Messaging.Shared.Consent.Sending;

/// <summary>The policy's decision and, when it allowed the send, what the outbox made of it.</summary>
public sealed record GuardedSendResult(SendDecision Decision, OutboundResult? Outbound)
{
    public bool Sent => Outbound?.Status == OutboundStatus.Sent;
}
