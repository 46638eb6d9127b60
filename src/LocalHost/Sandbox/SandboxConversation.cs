namespace Messaging.LocalHost.Sandbox;

/// <summary>A simulated customer's chat, oldest message first.</summary>
public sealed record SandboxConversation(string WaId, bool MarketingStopped, IReadOnlyList<SandboxChatMessage> Messages);
