namespace Messaging.Shared.Privacy.Erasure;

/// <summary>
/// The owners of a contact's data, in the order erasure clears them. Sends before messages (the wamid index is found
/// through the outbox rows), messages before aliases and profile (inbox rows and aliases are found through what
/// those rows hold, which needs the data key and the profile), workflow rows last of the tables.
/// </summary>
public static class ErasureStores
{
    public const string Outbox = "outbox";
    public const string Messages = "messages";
    public const string Aliases = "aliases";
    public const string Contacts = "contacts";
    public const string Workflows = "workflows";

    public static IReadOnlyList<string> Order { get; } = [Outbox, Messages, Aliases, Contacts, Workflows];

    public static string? After(string store)
    {
        var index = Order.ToList().IndexOf(store);
        return index >= 0 && index + 1 < Order.Count ? Order[index + 1] : null;
    }
}
