namespace Messaging.Shared.Conversations;

/// <summary>One item of <c>GET /api/conversations</c>. Holds personal data (name, preview): never logged.</summary>
public sealed record Conversation(
    string ContactKey,
    string? ProfileName,
    DateTimeOffset? LastMessageAt,
    string? LastMessagePreview,
    int Unread,
    DateTimeOffset? ServiceWindowOpenUntil,
    IReadOnlyList<string> Labels,
    string? AssignedTo,
    string Status)
{
    public override string ToString() => $"Conversation {{ ContactKey = {ContactKey}, Status = {Status} }}";
}
