namespace Messaging.Shared.Webhooks;

/// <summary>An operator's view of a parked webhook: no payload, only what is needed to decide and replay.</summary>
public sealed record ParkedWebhook(string Id, string Reason, DateTimeOffset ReceivedAt, DateTimeOffset ParkedAt, int Attempts, int ReplayCount);
