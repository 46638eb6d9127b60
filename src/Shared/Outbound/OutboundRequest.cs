namespace Messaging.Shared.Outbound;

/// <summary>One message to one contact.</summary>
/// <param name="SendId">
/// Deterministic id chosen by the caller, e.g. <c>doi:{requestId}:confirm-template</c>: the same id is the same send,
/// however often it is retried. Must contain no personal data (it is hashed before storage anyway).
/// </param>
/// <param name="ContactKey">The contact's key; the phone number is looked up at send time and never passes through queues.</param>
/// <param name="Tag">What the send belongs to (e.g. <c>campaign:{id}</c>), kept on the outbox row so a status webhook finds it; no personal data.</param>
public sealed record OutboundRequest(string SendId, string ContactKey, MessageCategory Kind, OutboundMessage Message, string? Tag = null)
{
    public override string ToString() => $"OutboundRequest {{ ContactKey = {ContactKey}, Kind = {Kind}, Type = {Message.Type} }}";
}
