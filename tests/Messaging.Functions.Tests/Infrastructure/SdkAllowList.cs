namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>
/// The names from packages that do not restore here (Functions Worker and its extensions, DurableTask, Service Bus)
/// which src/Functions may use. Only diagnostics ABOUT these names are tolerated; a misspelt or invented SDK name is
/// not on the list and fails the build check. Every entry must be used (a stale entry fails a test too).
/// </summary>
public static class SdkAllowList
{
    /// <summary>Namespaces whose <c>using</c> directive may fail with CS0234/CS0246.</summary>
    public static IReadOnlySet<string> Namespaces { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Microsoft.Azure.Functions.Worker",         // Microsoft.Azure.Functions.Worker (+ extensions put their attributes here)
        "Microsoft.Azure.Functions.Worker.Builder", // FunctionsApplication
        "Microsoft.DurableTask",                    // orchestration context, retry
        "Microsoft.DurableTask.Client",             // DurableTaskClient, purge
        "Azure.Messaging.ServiceBus",               // client, sender, messages
    };

    /// <summary>
    /// Type names (CS0246 where a type is expected, CS0103 where a static member is accessed). Attributes are listed
    /// with their Attribute suffix; C# lets code drop it, and Roslyn reports both spellings.
    /// </summary>
    public static IReadOnlySet<string> Types { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        // Microsoft.Azure.Functions.Worker (+ Http.AspNetCore, ServiceBus, Timer, DurableTask extensions)
        "FunctionsApplication",
        "FunctionAttribute",
        "AuthorizationLevel",
        "HttpTriggerAttribute",
        "ServiceBusTriggerAttribute",
        "TimerTriggerAttribute",
        "QueueTriggerAttribute",
        "TimerInfo",
        "OrchestrationTriggerAttribute",
        "ActivityTriggerAttribute",
        "DurableClientAttribute",
        // Microsoft.DurableTask
        "TaskOrchestrationContext",
        "TaskOptions",
        "RetryPolicy",
        "TaskFailedException",
        "StartOrchestrationOptions",
        // Microsoft.DurableTask.Client
        "DurableTaskClient",
        "PurgeInstancesFilter",
        "OrchestrationRuntimeStatus",
        // Azure.Messaging.ServiceBus
        "ServiceBusClient",
        "ServiceBusSender",
        "ServiceBusMessage",
        "ServiceBusReceivedMessage",
    };

    /// <summary>Extension methods the packages add to types we do have (CS1061 about exactly these member names).</summary>
    public static IReadOnlySet<string> ExtensionMethods { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "AddApplicationInsightsTelemetryWorkerService", // Microsoft.ApplicationInsights.WorkerService
        "ConfigureFunctionsApplicationInsights",        // Microsoft.Azure.Functions.Worker.ApplicationInsights
    };
}
