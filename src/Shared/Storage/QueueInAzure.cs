namespace Messaging.Shared.Storage;

/// <summary>Where the Azure deployment keeps a queue that LocalHost runs as an Azure Storage queue.</summary>
public enum QueueInAzure
{
    /// <summary>An Azure Storage queue of the same name in the app's storage account, as on LocalHost.</summary>
    StorageQueue,

    /// <summary>A Service Bus queue of the same name (infra/bicep/modules/servicebus.bicep).</summary>
    ServiceBusQueue,

    /// <summary>A Service Bus queue that only Azure needs: LocalHost does its work in process and creates no queue.</summary>
    ServiceBusQueueInAzureOnly,
}
