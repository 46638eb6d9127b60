using Messaging.Shared.LocalHostOnly.Sandbox;

namespace Messaging.LocalHost.Sandbox;

/// <summary>One message in a simulated chat, as the sandbox page shows it.</summary>
/// <param name="From"><c>business</c> (sent through the fake Graph API) or <c>customer</c> (typed in the simulator).</param>
/// <param name="Status">For business messages: accepted, sent, delivered, read or failed.</param>
public sealed record SandboxChatMessage(
    string Id,
    string WaId,
    string From,
    string Type,
    DateTimeOffset At,
    string? Text,
    string? TemplateName = null,
    string? TemplateLanguage = null,
    IReadOnlyList<string>? BodyParameters = null,
    IReadOnlyList<SandboxQuickReply>? QuickReplies = null,
    string? ButtonPayload = null,
    string? ContextMessageId = null,
    string? PricingCategory = null,
    string? Status = null,
    int? ErrorCode = null)
{
    public override string ToString() => $"SandboxChatMessage {{ From = {From}, Type = {Type}, Status = {Status} }}";
}
