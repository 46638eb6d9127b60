using System.Text.RegularExpressions;
using Messaging.Functions.Tests.Infrastructure;
using Messaging.Shared.Webhooks;

namespace Messaging.Functions.Tests;

/// <summary>LocalHost mirrors the Functions app route for route and queue for queue (design.md); this holds both to it.</summary>
public sealed partial class RouteParityTests
{
    /// <summary>LocalHost routes with no Functions counterpart, each with the reason.</summary>
    private static readonly Dictionary<string, string> LocalHostOnly = new(StringComparer.Ordinal)
    {
        ["/openapi/"] = "LocalHost's OpenAPI document for developers; Azure exposes no API description",
        ["/sandbox"] = "the Meta sandbox is a LocalHost-only development tool by design; Azure talks to the real Cloud API",
    };

    /// <summary>LocalHost background services and what stands for them in Azure.</summary>
    private static readonly Dictionary<string, string?> HostedServices = new(StringComparer.Ordinal)
    {
        // Queue consumers: the queue their Functions counterpart must be triggered by.
        [nameof(InboundQueueWorker)] = InboundQueueWorkerQueue,
        // Not consumers: no Functions counterpart.
        ["StorageInitializer"] = null, // Bicep creates tables, queues and containers in Azure
        ["SandboxStatusEmitter"] = null, // part of the LocalHost-only Meta sandbox
        [nameof(Messaging.LocalHost.Workflows.WorkflowQueueWorker)] = null, // a queue trigger (ApplyWorkflowRequest) hands the same queue to Durable in Azure
        ["RetentionSweepWorker"] = null, // a storage queue trigger (RunRetentionSweep) on the same retention-sweeps queue and handler
        ["RetentionScheduler"] = null, // a timer trigger (ScheduledRetentionSweep) on the same Retention:Schedule
    };

    private const string InboundQueueWorkerQueue = Messaging.Shared.Storage.StorageNames.InboundQueue;

    [Fact]
    public async Task Every_route_exists_on_both_hosts_with_the_same_method()
    {
        var (localRoutes, _) = await LocalHostApp.InspectAsync();
        var prefix = FunctionTriggers.RoutePrefix();
        var local = localRoutes
            .Where(r => !LocalHostOnly.Keys.Any(excluded => r.Route.StartsWith(excluded, StringComparison.Ordinal)))
            .Select(r => $"{r.Method} {Normalize(r.Route)}")
            .ToHashSet(StringComparer.Ordinal);
        var functions = FunctionTriggers.Read().Http
            .Select(h => $"{h.Method} {Normalize($"/{prefix}/{h.Route}")}")
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(local);
        Assert.True(local.SetEquals(functions),
            $"Only on LocalHost: {string.Join(", ", local.Except(functions))}; only in Functions: {string.Join(", ", functions.Except(local))}");
    }

    [Fact]
    public async Task Every_queue_consumer_has_a_trigger_on_the_same_queue_with_the_same_shared_handler()
    {
        var (_, hosted) = await LocalHostApp.InspectAsync();
        var ours = hosted.Where(t => t.Assembly.GetName().Name!.StartsWith("Messaging.", StringComparison.Ordinal)).ToList();
        var triggers = FunctionTriggers.Read().ServiceBus;

        var unknown = ours.Select(t => t.Name).Where(n => !HostedServices.ContainsKey(n)).ToList();
        Assert.True(unknown.Count == 0, "LocalHost background services without a decision about Azure: " + string.Join(", ", unknown));
        foreach (var consumer in ours.Where(t => HostedServices[t.Name] is not null))
        {
            var trigger = Assert.Single(triggers, t => t.Queue == HostedServices[consumer.Name]);
            var sharedHandlers = consumer.GetConstructors().Single().GetParameters().Select(p => p.ParameterType.Name)
                .Where(n => n.EndsWith("Handler", StringComparison.Ordinal) || n.EndsWith("Processor", StringComparison.Ordinal));
            Assert.All(sharedHandlers, h => Assert.Contains(h, trigger.ConstructorParameterTypes));
        }

        Assert.All(triggers, t => Assert.Contains(t.Queue, HostedServices.Values));
    }

    [Fact]
    public void The_opt_in_page_can_be_served_outside_api_because_the_route_prefix_is_empty()
    {
        // LocalHost serves pages such as /optin outside /api; with the default prefix every function would be under /api.
        Assert.Equal("", FunctionTriggers.RoutePrefix());
    }

    /// <summary>Case, trailing slash and route constraints do not matter; parameter names do (functions bind by name).</summary>
    private static string Normalize(string route) =>
        Constraint().Replace(MultipleSlashes().Replace(route, "/"), "{$1}").TrimEnd('/').ToLowerInvariant();

    [GeneratedRegex(@"\{\*?([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex Constraint();

    [GeneratedRegex("/+")]
    private static partial Regex MultipleSlashes();
}
