namespace Messaging.Shared.Storage;

/// <summary>Every table, queue and blob container the app uses. Names carry no personal data.</summary>
public static class StorageNames
{
    public const string ContactsTable = "Contacts";
    public const string AliasesTable = "ContactAliases";
    public const string KeysTable = "ContactKeys";
    public const string MessagesTable = "Messages";
    public const string InboxTable = "Inbox";
    public const string ParkedTable = "ParkedWebhooks";
    public const string UnhandledTable = "UnhandledEvents";
    public const string ConsentTable = "Consent";
    public const string WorkflowsTable = "Workflows";
    public const string OutboxTable = "Outbox";
    public const string OptInTokensTable = "OptInTokens";
    public const string SuppressionTable = "Suppression";
    public const string AuditTable = "Audit";

    public const string InboundQueue = "webhooks-inbound";
    public const string WorkflowEventsQueue = "workflow-events";

    public const string WebhookBodiesContainer = "webhook-bodies";

    public static IReadOnlyList<string> Tables { get; } =
    [
        ContactsTable, AliasesTable, KeysTable, MessagesTable, InboxTable, ParkedTable, UnhandledTable,
        ConsentTable, WorkflowsTable, OutboxTable, OptInTokensTable, SuppressionTable, AuditTable,
    ];

    public static IReadOnlyList<string> Queues { get; } = [InboundQueue, WorkflowEventsQueue];
}
