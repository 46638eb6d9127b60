namespace Messaging.Shared.LocalHostOnly.Sandbox;

/// <summary>
/// A quick-reply button of a sent template. The send request carries only its index and payload (the label lives
/// in the approved template at Meta), so the sandbox shows the payload where WhatsApp would show the label.
/// </summary>
public sealed record SandboxQuickReply(int Index, string Payload);
