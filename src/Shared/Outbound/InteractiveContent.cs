namespace Messaging.Shared.Outbound;

/// <summary>
/// The <c>interactive</c> object of a reply-button message (up to three buttons; free-form, so only inside the service
/// window). A tap arrives as an "interactive" message whose <c>button_reply.id</c> is the button's id.
/// </summary>
public sealed record InteractiveContent(string Type, InteractiveBody Body, InteractiveAction Action)
{
    public override string ToString() => $"InteractiveContent {{ Type = {Type}, Buttons = {Action.Buttons.Count} }}";
}

public sealed record InteractiveBody(string Text)
{
    public override string ToString() => $"InteractiveBody {{ Length = {Text.Length} }}";
}

public sealed record InteractiveAction(IReadOnlyList<InteractiveButton> Buttons);

/// <summary>Always <c>{"type":"reply","reply":{"id":...,"title":...}}</c>; the id carries no personal data.</summary>
public sealed record InteractiveButton(InteractiveReply Reply)
{
    public string Type { get; } = "reply";
}

/// <param name="Title">At most 20 characters (Cloud API limit).</param>
public sealed record InteractiveReply(string Id, string Title);
