namespace Messaging.LocalHost.Sandbox;

/// <summary>A message the fake Graph API accepted and whose status webhooks are still to come.</summary>
public sealed record SandboxDelivery(SandboxChatMessage Message, string? BizOpaqueCallbackData, DateTimeOffset AcceptedAt, SandboxNextFailure? Failure);
