namespace Messaging.LocalHost.Sandbox;

/// <summary>A simulated customer and how much the in-memory store still holds of their chat.</summary>
public sealed record SandboxConversationSummary(string WaId, int MessageCount, DateTimeOffset LastActivity, bool MarketingStopped);
