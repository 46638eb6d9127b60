namespace Messaging.Shared.Webhooks;

/// <summary>What a webhook body yielded: its readable events, and why any other item could not be read (no payload).</summary>
public sealed record ParsedWebhook(IReadOnlyList<WebhookEvent> Events, IReadOnlyList<string> Problems);
