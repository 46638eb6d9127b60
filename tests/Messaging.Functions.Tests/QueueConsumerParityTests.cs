using Messaging.Functions.Tests.Infrastructure;
using Messaging.Shared.LocalHostOnly.Queues;
using Messaging.Shared.Storage;

namespace Messaging.Functions.Tests;

/// <summary>LocalHost mirrors the Functions app queue for queue (design.md): each background service has its Azure counterpart.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class QueueConsumerParityTests
{
    /// <summary>A LocalHost background service and what stands for it in Azure.</summary>
    private sealed record Counterpart(string? ServiceBusQueue = null, string? StorageQueue = null, string? TimerFunction = null, string? None = null);

    private static readonly Dictionary<string, Counterpart> HostedServices = new(StringComparer.Ordinal)
    {
        // A queue consumer: a Service Bus trigger on the same queue, calling the same shared handler.
        [nameof(InboundQueueWorker)] = new(ServiceBusQueue: StorageNames.InboundQueue),
        // The workflow queue: a queue trigger on the same queue hands each request to Durable in Azure.
        ["WorkflowQueueWorker"] = new(StorageQueue: StorageNames.WorkflowEventsQueue),
        // Consent-gated sends: a Service Bus trigger with sessions by business number paces them in Azure.
        [nameof(OutboundSendWorker)] = new(ServiceBusQueue: StorageNames.OutboundQueue),
        ["RetentionSweepWorker"] = new(StorageQueue: StorageNames.RetentionSweepsQueue),
        ["RetentionScheduler"] = new(TimerFunction: "ScheduledRetentionSweep"),
        ["BackupWorker"] = new(StorageQueue: StorageNames.BackupsQueue),
        ["BackupScheduler"] = new(TimerFunction: "ScheduledBackup"),
        ["EventDeliveryWorker"] = new(StorageQueue: StorageNames.EventsOutQueue),
        ["StorageInitializer"] = new(None: "Bicep creates tables, queues and containers in Azure"),
        ["SandboxStatusEmitter"] = new(None: "part of the LocalHost-only Meta sandbox"),
    };

    /// <summary>
    /// Service Bus queues only Azure has, and what LocalHost does instead: one process is the whole business number, so
    /// it paces campaign sends in process; in Azure many instances would each send at the full rate.
    /// </summary>
    private static readonly Dictionary<string, (string LocalHost, string SharedHandler)> InAzureOnly = new(StringComparer.Ordinal)
    {
        [StorageNames.CampaignSendsQueue] = (nameof(Messaging.Shared.Campaigns.Sending.InProcessCampaignSendLane), nameof(Messaging.Shared.Campaigns.Sending.CampaignSendHandler)),
    };

    [Fact]
    public void Queues_only_azure_has_are_consumed_there_by_the_shared_handler_and_not_created_on_LocalHost()
    {
        var serviceBusTriggers = FunctionTriggers.ReadServiceBus();

        Assert.Equal(
            StorageNames.QueuesInAzure.Where(q => q.Value == QueueInAzure.ServiceBusQueueInAzureOnly).Select(q => q.Key).Order(StringComparer.Ordinal),
            InAzureOnly.Keys.Order(StringComparer.Ordinal));
        foreach (var (queue, (_, handler)) in InAzureOnly)
        {
            var trigger = Assert.Single(serviceBusTriggers, t => t.Queue == queue);
            Assert.Contains(handler, trigger.ConstructorParameterTypes);
            Assert.DoesNotContain(queue, StorageNames.Queues);
        }
    }

    [Fact]
    public async Task Every_LocalHost_background_service_has_its_Azure_counterpart()
    {
        // With processing on (the default), unlike the parity fixture; no storage is needed to see what runs.
        IReadOnlyList<Type> hosted;
        await using (var localHost = await LocalHostApp.StartAsync(LocalHostApp.StandaloneSettings()))
        {
            hosted = localHost.HostedServices.Where(t => t.Assembly.GetName().Name!.StartsWith("Messaging.", StringComparison.Ordinal)).ToList();
        }

        var unknown = hosted.Select(t => t.Name).Where(n => !HostedServices.ContainsKey(n)).ToList();
        Assert.True(unknown.Count == 0, "LocalHost background services without a decision about Azure: " + string.Join(", ", unknown));
        var serviceBusTriggers = FunctionTriggers.ReadServiceBus();
        var functions = FunctionsMetadata.Read();
        foreach (var service in hosted)
        {
            var counterpart = HostedServices[service.Name];
            if (counterpart.ServiceBusQueue is { } queue)
            {
                var trigger = Assert.Single(serviceBusTriggers, t => t.Queue == queue);
                var sharedHandlers = service.GetConstructors().Single().GetParameters().Select(p => p.ParameterType.Name)
                    .Where(n => n.EndsWith("Handler", StringComparison.Ordinal) || n.EndsWith("Processor", StringComparison.Ordinal));
                Assert.All(sharedHandlers, h => Assert.Contains(h, trigger.ConstructorParameterTypes));
            }
            else if (counterpart.StorageQueue is { } storageQueue)
            {
                Assert.Contains(functions, f => f.Bindings.Any(b => b.Type == "queueTrigger" && b.QueueName == storageQueue));
            }
            else if (counterpart.TimerFunction is { } timer)
            {
                Assert.Contains(functions, f => f.Name == timer && f.Bindings.Any(b => b.Type == "timerTrigger"));
            }
        }

        Assert.All(serviceBusTriggers.Where(t => !InAzureOnly.ContainsKey(t.Queue)), t => Assert.Contains(HostedServices.Values, c => c.ServiceBusQueue == t.Queue));
        Assert.All(functions.SelectMany(f => f.Bindings).Where(b => b.Type == "queueTrigger"), b => Assert.Contains(HostedServices.Values, c => c.StorageQueue == b.QueueName));
    }
}
