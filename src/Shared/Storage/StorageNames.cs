namespace Messaging.Shared.Storage;

/// <summary>
/// Every table, queue and blob container the app uses: the one list. LocalHost creates them at start-up
/// (<see cref="StorageClients.EnsureCreatedAsync"/>); in Azure, infra/bicep provisions them, and
/// tests/Messaging.Infra.Tests holds the compiled template to these lists. Names carry no personal data.
/// Adding a name: add the constant and put it in <see cref="Tables"/>, <see cref="Containers"/>, or <see cref="Queues"/>
/// with its <see cref="QueueInAzure"/>; then add it to infra/bicep (the test says where).
/// </summary>
public static class StorageNames
{
    public const string ContactsTable = "Contacts";
    public const string AliasesTable = "ContactAliases";
    public const string KeysTable = "ContactKeys";
    /// <summary>
    /// Messages is contact-sharded (<see cref="ContactShardedTables"/>): rows live in Messages00..Messages31. This name
    /// is the legacy table earlier releases wrote every message into; it is still read, erased, exported and swept.
    /// </summary>
    public const string MessagesTable = "Messages";

    /// <summary>De-duplication rows of the first pipeline; no longer written (an event's own row is its de-duplication), still erased and swept.</summary>
    public const string InboxTable = "Inbox";
    public const string ParkedTable = "ParkedWebhooks";
    public const string UnhandledTable = "UnhandledEvents";
    public const string ConsentTable = "Consent";
    public const string WorkflowsTable = "Workflows";
    public const string OutboxTable = "Outbox";
    public const string OptInTokensTable = "OptInTokens";
    /// <summary>
    /// Not a table: the prefix of the retention index's day tables (RetentionIndex{yyyyMMdd}{Class}), which the app
    /// creates on first write of a day and drops once a sweep has deleted the day's rows.
    /// </summary>
    public const string RetentionIndexTablePrefix = "RetentionIndex";
    public const string RetentionSweepsTable = "RetentionSweeps";
    public const string SuppressionTable = "Suppression";
    public const string AuditTable = "Audit";
    public const string CampaignsTable = "Campaigns";
    public const string CampaignRecipientsTable = "CampaignRecipients";
    public const string DataSubjectRequestsTable = "DataSubjectRequests";
    public const string EventOutboxTable = "EventOutbox";
    public const string ParkedEventsTable = "ParkedEvents";
    public const string ConversationsTable = "Conversations";
    public const string ConversationIndexTable = "ConversationIndex";
    public const string TemplatesTable = "Templates";

    /// <summary>Where webhook copies (parked webhooks, claim-check bodies, unhandled events) are found by the alias hash of each identifier they name, so erasure reaches them.</summary>
    public const string WebhookCopiesTable = "WebhookCopies";

    public const string InboundQueue = "webhooks-inbound";
    public const string WorkflowEventsQueue = "workflow-events";
    public const string RetentionSweepsQueue = "retention-sweeps";
    public const string EventsOutQueue = "events-out";

    /// <summary>Backup requests (POST /api/operations/backups and the daily timer), taken off the request path by a worker.</summary>
    public const string BackupsQueue = "backups";

    /// <summary>Consent-gated sends, off the inbound path; the same name as the Service Bus queue Bicep creates.</summary>
    public const string OutboundQueue = "outbound-messages";

    /// <summary>
    /// Campaign recipients on their way to Meta, in Azure only: a Service Bus queue with one session per business
    /// number, so one consumer paces them across instances. LocalHost is one process and paces them in process.
    /// </summary>
    public const string CampaignSendsQueue = "campaign-sends";

    public const string WebhookBodiesContainer = "webhook-bodies";
    public const string DataSubjectExportsContainer = "data-subject-exports";

    /// <summary>Table backups, one folder per run; private, kept Backup:Retention (Bicep: versioning + lifecycle deletion).</summary>
    public const string BackupsContainer = "backups";

    /// <summary>Backups of the per-contact keys alone, kept only Backup:KeyRetention, so erasure reaches every table backup.</summary>
    public const string KeyBackupsContainer = "key-backups";

    /// <summary>
    /// Tables spread over <see cref="ContactShards.Count"/> tables by contact key (<see cref="ContactShards.TableName"/>),
    /// because on Azurite a request costs in proportion to its table's rows. Each keeps its base name as a legacy table.
    /// Sharding another per-contact table: add its name here, and to contactShardedTableNames in infra/bicep.
    /// </summary>
    public static IReadOnlyList<string> ContactShardedTables { get; } = [MessagesTable];

    /// <summary>Tables, in the app's storage account on both hosts.</summary>
    public static IReadOnlyList<string> Tables { get; } =
    [
        ContactsTable, AliasesTable, KeysTable, MessagesTable, InboxTable, ParkedTable, UnhandledTable,
        ConsentTable, WorkflowsTable, OutboxTable, OptInTokensTable, RetentionSweepsTable,
        SuppressionTable, AuditTable, DataSubjectRequestsTable, EventOutboxTable, ParkedEventsTable, ConversationsTable, ConversationIndexTable,
        CampaignsTable, CampaignRecipientsTable, TemplatesTable, WebhookCopiesTable,
        .. ContactShardedTables.SelectMany(ContactShards.TableNames),
    ];

    /// <summary>Blob containers, in the app's storage account on both hosts.</summary>
    public static IReadOnlyList<string> Containers { get; } = [WebhookBodiesContainer, DataSubjectExportsContainer, BackupsContainer, KeyBackupsContainer];

    /// <summary>
    /// Queues: on LocalHost each is an Azure Storage queue (Azurite); in Azure, each lives where its value says,
    /// because the Functions host moves some of them to Service Bus.
    /// </summary>
    public static IReadOnlyDictionary<string, QueueInAzure> QueuesInAzure { get; } = new Dictionary<string, QueueInAzure>(StringComparer.Ordinal)
    {
        // Sessions order one contact's events and duplicate detection drops repeated sends (ServiceBusWebhookQueue).
        [InboundQueue] = QueueInAzure.ServiceBusQueue,
        // Workflow requests (start, signal, timer): LocalHost's driver consumes them; in Azure a queue trigger on the
        // host storage connection (AzureWebJobsStorage, the same account) hands them to Durable.
        [WorkflowEventsQueue] = QueueInAzure.StorageQueue,
        // Sweep requests: a queue trigger on the host storage connection runs them under the sweep lease.
        [RetentionSweepsQueue] = QueueInAzure.StorageQueue,
        // Events out: each message names a contact whose pending events a queue trigger delivers (in order, from the outbox).
        [EventsOutQueue] = QueueInAzure.StorageQueue,
        // Consent-gated sends off the inbound path; Service Bus sessions by business number pace them in Azure.
        [OutboundQueue] = QueueInAzure.ServiceBusQueue,
        // Backup requests: a queue trigger on the host storage connection takes each backup (idempotent by id).
        [BackupsQueue] = QueueInAzure.StorageQueue,
        // Campaign sends, sessions by business number; LocalHost's campaign pages send in process instead.
        [CampaignSendsQueue] = QueueInAzure.ServiceBusQueueInAzureOnly,
    };

    /// <summary>The Storage queues LocalHost creates: every queue, whatever Azure uses instead, but those only Azure has.</summary>
    public static IReadOnlyList<string> Queues { get; } = [.. QueuesInAzure.Where(q => q.Value != QueueInAzure.ServiceBusQueueInAzureOnly).Select(q => q.Key)];
}
