namespace Messaging.Shared.Privacy.Erasure;

/// <summary>
/// The owners of a contact's data, in the order erasure clears them. Sends before messages (the wamid and unknown-send
/// index rows are found through the outbox rows), messages before aliases and profile (old-layout inbox rows are
/// found through the messages' wamids, which need the data key), webhook copies before aliases (they are found by
/// alias hash), workflow rows last of the tables. Templates hold no personal data (Meta's template and number-quality events) and
/// are not an owner.
/// </summary>
public static class ErasureStores
{
    public const string Outbox = "outbox";
    public const string Messages = "messages";

    /// <summary>Parked webhooks with their bodies, claim-check bodies and unhandled events naming one of the contact's identifiers.</summary>
    public const string WebhookCopies = "webhookCopies";

    /// <summary>Campaign audience rows: replaced by an anonymous row with the same outcome, so the campaign's counts stay.</summary>
    public const string CampaignRecipients = "campaignRecipients";

    /// <summary>The inbox's conversation row and its entry in the inbox index.</summary>
    public const string Conversations = "conversations";

    /// <summary>Events not yet delivered to subscribers (and their cursors), and events parked for an operator.</summary>
    public const string EventOutbox = "eventOutbox";

    public const string Aliases = "aliases";
    public const string Contacts = "contacts";
    public const string Workflows = "workflows";

    public static IReadOnlyList<string> Order { get; } =
        [Outbox, Messages, WebhookCopies, CampaignRecipients, Conversations, EventOutbox, Aliases, Contacts, Workflows];

    public static string? After(string store)
    {
        var index = Order.ToList().IndexOf(store);
        return index >= 0 && index + 1 < Order.Count ? Order[index + 1] : null;
    }
}
