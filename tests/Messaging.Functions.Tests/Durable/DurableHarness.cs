extern alias functions;
using functions::Messaging.Functions.Consent;
using functions::Messaging.Functions.Workflows;
using Messaging.Shared.Consent;
using Messaging.Shared.Consent.OptIn;
using Messaging.Shared.Workflows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Functions.Tests.Durable;

/// <summary>
/// src/Functions' double opt-in orchestration and effect activity on the in-process Durable runtime, with requests
/// applied by the real <see cref="DurableWorkflowDispatcher"/> (whose registry lives on Azurite).
/// </summary>
public sealed class DurableHarness : IAsyncDisposable
{
    public static readonly WorkflowRetry FastRetry = new(3, TimeSpan.FromMilliseconds(100), 1.0, TimeSpan.FromMilliseconds(100));

    private readonly ServiceProvider _services;

    private DurableHarness(DurableTaskTestHost host, ServiceProvider services, ScriptedEffects effects)
    {
        Host = host;
        _services = services;
        Effects = effects;
    }

    public DurableTaskTestHost Host { get; }

    public ScriptedEffects Effects { get; }

    public DurableTaskClient Client => Host.Client;

    public DurableWorkflowDispatcher Dispatcher => _services.GetRequiredService<DurableWorkflowDispatcher>();

    public WorkflowRegistry Registry => _services.GetRequiredService<WorkflowRegistry>();

    /// <param name="fastRetries">Runs the same orchestrator shape with a short retry schedule, so exhausting retries takes a second.</param>
    public static async Task<DurableHarness> StartAsync(AzuriteFixture azurite, bool fastRetries = false, Action<DurableTaskRegistry>? more = null)
    {
        var effects = new ScriptedEffects();
        var storage = azurite.CreateIsolatedStorage(out _);
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var services = new ServiceCollection()
            .AddSingleton(storage)
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IWorkflowEffects<DoubleOptInCommand, DoubleOptInInput>>(effects)
            .AddSingleton<IWorkflowDefinition>(DoubleOptInWorkflow.Definition)
            .AddWorkflowKernel()
            .AddSingleton<DurableWorkflowDispatcher>()
            .BuildServiceProvider();
        var functions = new DoubleOptInFunctions(services);
        var fast = DoubleOptInWorkflow.Definition with { EffectRetry = FastRetry };

        var host = await DurableTestHosts.StartAsync(
            tasks =>
            {
                if (fastRetries)
                {
                    tasks.AddOrchestratorFunc<string, string>(DoubleOptInWorkflow.OrchestrationName, (context, _) => DeciderOrchestration.RunAsync(context, fast));
                }
                else
                {
                    tasks.AddOrchestratorFunc<string, string>(DoubleOptInWorkflow.OrchestrationName, (context, _) => DoubleOptInFunctions.RunAsync(context));
                }

                tasks.AddActivityFunc<string, string?>(DoubleOptInWorkflow.Definition.EffectActivityName, (_, effect) => functions.EffectAsync(effect, CancellationToken.None));
                more?.Invoke(tasks);
            });
        return new DurableHarness(host, services, effects);
    }

    public static DoubleOptInInput.Requested Request(string requestId, TimeSpan? window = null) => new(
        requestId, "ck-durable", ConsentPurpose.Marketing,
        new ConsentProof(ConsentSources.CrmApi, ConsentChannels.Web, "Ja, ich möchte Angebote per WhatsApp.", "v2", "privacy-v3", null),
        DateTimeOffset.UtcNow, window ?? TimeSpan.FromHours(72));

    public Task StartAsync(DoubleOptInInput.Requested request) => Dispatcher.ApplyAsync(
        Client,
        WorkflowRequest.For(WorkflowRequest.Start, InstanceOf(request.RequestId), "start", DoubleOptInWorkflow.Definition.SerializeInput(request)),
        CancellationToken.None);

    public Task SignalAsync(string requestId, DoubleOptInSignal signal) => Dispatcher.ApplyAsync(
        Client,
        WorkflowRequest.For(WorkflowRequest.Signal, InstanceOf(requestId), signal.InputId, DoubleOptInWorkflow.Definition.SerializeInput(signal.ToInput())),
        CancellationToken.None);

    public static WorkflowInstance InstanceOf(string requestId) => DoubleOptInWorkflow.Instance("ck-durable", requestId);

    /// <summary>Waits until the instance has finished and returns its terminal state and runtime status.</summary>
    public async Task<(DoubleOptInState? State, OrchestrationRuntimeStatus Status, OrchestrationMetadata Metadata)> FinishedAsync(string requestId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var metadata = await Client.WaitForInstanceCompletionAsync(InstanceOf(requestId).Id, getInputsAndOutputs: true, timeout.Token);
        var state = metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            ? DoubleOptInWorkflow.Definition.DeserializeState(metadata.ReadOutputAs<string>()!)
            : null;
        return (state, metadata.RuntimeStatus, metadata);
    }

    /// <summary>Waits until the orchestration has run its first effects and waits for the customer.</summary>
    public Task SentAsync(int sends = 1) => Eventually.TrueAsync(() => Task.FromResult(Effects.SendAttempts >= sends && Effects.Ran.Count >= 2));

    public async ValueTask DisposeAsync()
    {
        Effects.SendGate.TrySetResult();
        await Host.DisposeAsync();
        await _services.DisposeAsync();
    }
}
