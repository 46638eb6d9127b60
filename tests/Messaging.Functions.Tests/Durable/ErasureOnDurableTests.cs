extern alias functions;
using System.Collections.Concurrent;
using functions::Messaging.Functions.Privacy;
using functions::Messaging.Functions.Workflows;
using Messaging.Shared.Privacy.Erasure;
using Messaging.Shared.Workflows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Functions.Tests.Durable;

/// <summary>
/// Erasure as it runs in Azure: src/Functions' ErasureFunctions (the kernel's orchestrator shape over the same decider
/// the table driver runs in ErasureOnAzuriteTests) on the Durable runtime, started by the real dispatcher. The effects
/// are scripted (they are proven against Azurite elsewhere); the subject is the paging and ordering through Durable.
/// </summary>
[Trait("Runtime", "Durable")]
[Collection(DurableCollection.Name)]
public sealed class ErasureOnDurableTests(AzuriteFixture azurite)
{
    private const string ContactKey = "ck-erased";

    [Fact]
    public async Task Given_a_contact_with_three_pages_of_messages_when_erased_on_Durable_then_every_page_and_store_is_cleared_before_the_key_and_the_receipt()
    {
        var effects = new ScriptedErasureEffects { MessagePages = 3 };
        await using var durable = await StartAsync(effects);

        await durable.StartAsync("dsr-durable-1", notify: true);

        var (state, status) = await durable.FinishedAsync("dsr-durable-1");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status);
        var report = Erasure.Progress(Assert.IsType<ErasureState.Completed>(state))!.Report;
        Assert.Equal(300, report.Rows(ErasureStores.Messages));
        Assert.True(report.KeyShredded);
        Assert.Equal("sent", report.Notification);
        string[] deletes = [.. ErasureStores.Order.SelectMany(store => store == ErasureStores.Messages
            ? ["delete:messages:0", "delete:messages:1", "delete:messages:2"]
            : new[] { $"delete:{store}:0" })];
        Assert.Equal(["tombstone", "stop", "notify", .. deletes, "shred", "receipt"], effects.Ran);
    }

    [Fact]
    public async Task A_notice_that_keeps_failing_is_recorded_and_the_erasure_goes_on()
    {
        var effects = new ScriptedErasureEffects { NoticeFails = true };
        await using var durable = await StartAsync(effects);

        await durable.StartAsync("dsr-durable-2", notify: true);

        var (state, _) = await durable.FinishedAsync("dsr-durable-2");
        var report = Erasure.Progress(Assert.IsType<ErasureState.Completed>(state))!.Report;
        Assert.StartsWith("failed:", report.Notification, StringComparison.Ordinal);
        Assert.True(report.KeyShredded);
    }

    [Fact]
    public async Task A_delete_that_keeps_failing_ends_the_erasure_failed_with_the_failure_recorded_before_the_key_is_shredded()
    {
        var effects = new ScriptedErasureEffects { DeletesFail = true };
        await using var durable = await StartAsync(effects);

        await durable.StartAsync("dsr-durable-3", notify: false);

        var (state, status) = await durable.FinishedAsync("dsr-durable-3");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status);
        var failed = Assert.IsType<ErasureState.Failed>(state);
        Assert.Equal("delete:outbox:0", failed.Step);
        Assert.StartsWith("retries-exhausted", failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("shred", effects.Ran);
        Assert.Equal("tombstone", effects.Ran[0]);
        Assert.Equal("record-failure", effects.Ran[^1]);
    }

    [Fact]
    public async Task A_failure_that_cannot_even_be_recorded_fails_the_instance_for_an_operator()
    {
        var effects = new ScriptedErasureEffects { DeletesFail = true, RecordingFails = true };
        await using var durable = await StartAsync(effects);

        await durable.StartAsync("dsr-durable-4", notify: false);

        var (_, status) = await durable.FinishedAsync("dsr-durable-4");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, status);
        Assert.DoesNotContain("shred", effects.Ran);
    }

    private async Task<ErasureDurable> StartAsync(ScriptedErasureEffects effects)
    {
        var storage = azurite.CreateIsolatedStorage(out _);
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var services = new ServiceCollection()
            .AddSingleton(storage)
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IWorkflowEffects<ErasureEffect, ErasureInput>>(effects)
            .AddSingleton<IWorkflowDefinition>(ErasureWorkflow.Definition)
            .AddWorkflowKernel()
            .AddSingleton<DurableWorkflowDispatcher>()
            .BuildServiceProvider();
        var functions = new ErasureFunctions(services);
        var fast = ErasureWorkflow.Definition with { EffectRetry = DurableHarness.FastRetry };
        var host = await DurableTestHosts.StartAsync(
            tasks =>
            {
                tasks.AddOrchestratorFunc<string, string>(ErasureWorkflow.OrchestrationName, (context, _) => DeciderOrchestration.RunAsync(context, fast));
                tasks.AddActivityFunc<string, string?>(ErasureWorkflow.Definition.EffectActivityName, (_, effect) => functions.EffectAsync(effect, CancellationToken.None));
            });
        return new ErasureDurable(host, services);
    }

    private sealed class ErasureDurable(DurableTaskTestHost host, ServiceProvider services) : IAsyncDisposable
    {
        public Task StartAsync(string requestId, bool notify) => services.GetRequiredService<DurableWorkflowDispatcher>().ApplyAsync(
            host.Client,
            WorkflowRequest.For(
                WorkflowRequest.Start,
                ErasureWorkflow.Instance(requestId),
                "start",
                ErasureWorkflow.Definition.SerializeInput(new ErasureInput.Requested(requestId, ContactKey, "email", notify, DateTimeOffset.UtcNow))),
            CancellationToken.None);

        public async Task<(ErasureState? State, OrchestrationRuntimeStatus Status)> FinishedAsync(string requestId)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var metadata = await host.Client.WaitForInstanceCompletionAsync(ErasureWorkflow.Instance(requestId).Id, getInputsAndOutputs: true, timeout.Token);
            var state = metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed
                ? ErasureWorkflow.Definition.DeserializeState(metadata.ReadOutputAs<string>()!)
                : null;
            return (state, metadata.RuntimeStatus);
        }

        public async ValueTask DisposeAsync()
        {
            await host.DisposeAsync();
            await services.DisposeAsync();
        }
    }

    /// <summary>Erasure effects as a script: how many pages of messages there are and what keeps failing.</summary>
    private sealed class ScriptedErasureEffects : IWorkflowEffects<ErasureEffect, ErasureInput>
    {
        private readonly ConcurrentQueue<string> _ran = new();

        public int MessagePages { get; init; } = 1;

        public bool NoticeFails { get; init; }

        public bool DeletesFail { get; init; }

        public bool RecordingFails { get; init; }

        public IReadOnlyList<string> Ran => [.. _ran];

        public Task<ErasureInput?> ExecuteAsync(ErasureEffect effect, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            _ran.Enqueue(effect switch
            {
                ErasureEffect.Tombstone => "tombstone",
                ErasureEffect.StopWorkflows => "stop",
                ErasureEffect.NotifyContact => "notify",
                ErasureEffect.DeleteRows d => $"delete:{d.Store}:{d.Page}",
                ErasureEffect.ShredKey => "shred",
                ErasureEffect.RecordFailure => "record-failure",
                _ => "receipt",
            });
            return Task.FromResult<ErasureInput?>(effect switch
            {
                ErasureEffect.Tombstone => new ErasureInput.Tombstoned(now),
                ErasureEffect.StopWorkflows => new ErasureInput.WorkflowsStopped(1, now),
                ErasureEffect.NotifyContact when NoticeFails => throw new WorkflowRetryException("Meta unavailable"),
                ErasureEffect.NotifyContact => new ErasureInput.ContactNotified("sent", now),
                ErasureEffect.DeleteRows when DeletesFail => throw new InvalidOperationException("storage unavailable"),
                ErasureEffect.DeleteRows d when d.Store == ErasureStores.Messages =>
                    new ErasureInput.StoreCleared(d.Store, d.Page, 100, d.Page + 1 < MessagePages, now),
                ErasureEffect.DeleteRows d => new ErasureInput.StoreCleared(d.Store, d.Page, 1, false, now),
                ErasureEffect.ShredKey => new ErasureInput.KeyShredded(now),
                ErasureEffect.RecordFailure when RecordingFails => throw new InvalidOperationException("storage unavailable"),
                ErasureEffect.RecordFailure => new ErasureInput.FailureRecorded(now),
                _ => new ErasureInput.ReceiptWritten(now),
            });
        }
    }
}
