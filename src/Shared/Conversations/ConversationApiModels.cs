namespace Messaging.Shared.Conversations;

/// <summary><c>GET /api/conversations</c>: newest first.</summary>
public sealed record ConversationPage(IReadOnlyList<Conversation> Items, string? NextCursor);

/// <summary><c>GET /api/contacts/{contactKey}/messages</c>: oldest first within the page.</summary>
public sealed record MessagePage(IReadOnlyList<ThreadMessage> Items, string? NextCursor);

/// <summary><c>POST /api/contacts/{contactKey}/messages</c>: free text or an approved template.</summary>
public sealed record SendMessageBody(string? Text, TemplateBody? Template);

public sealed record TemplateBody(string? Name, string? Language, IReadOnlyList<string>? Parameters);

/// <summary>202 of a send: the id the thread shows it under.</summary>
public sealed record SendAccepted(string MessageId, string Status);

/// <summary><c>PUT /api/conversations/{contactKey}</c>: only what is given changes.</summary>
public sealed record UpdateConversationBody(string? Status, string? AssignedTo, IReadOnlyList<string>? Labels);

/// <summary>A template category override for replies (Conversations:Templates:N); otherwise Graph's category counts.</summary>
public sealed class ApprovedTemplate
{
    public string Name { get; set; } = "";

    public string Language { get; set; } = "en";

    /// <summary><c>marketing</c> (needs confirmed consent) or <c>utility</c>.</summary>
    public string Category { get; set; } = "marketing";

    public int ParameterCount { get; set; }
}

/// <summary>Settings of the conversation API (section <c>Conversations</c>).</summary>
public sealed class ConversationOptions
{
    public const string Section = "Conversations";

    public List<ApprovedTemplate> Templates { get; set; } = [];
}
