namespace Messaging.Shared.Conversations;

public static class ConversationStatus
{
    public const string Open = "open";
    public const string Closed = "closed";
    public const string All = "all";

    public static bool IsSettable(string? value) => value is Open or Closed;
}
