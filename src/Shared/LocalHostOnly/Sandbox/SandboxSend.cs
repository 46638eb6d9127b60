namespace Messaging.Shared.LocalHostOnly.Sandbox;

/// <summary>A send request the fake Graph endpoint accepted: what a phone would display, plus routing data.</summary>
public sealed record SandboxSend(
    string To,
    string WaId,
    string Type,
    string? Text,
    string? TemplateName,
    string? TemplateLanguage,
    IReadOnlyList<string> BodyParameters,
    IReadOnlyList<SandboxQuickReply> QuickReplies,
    string? BizOpaqueCallbackData)
{
    // Text, parameters and the number are personal data; keep them out of anything that prints a record.
    public override string ToString() => $"SandboxSend {{ Type = {Type}, QuickReplies = {QuickReplies.Count} }}";
}
