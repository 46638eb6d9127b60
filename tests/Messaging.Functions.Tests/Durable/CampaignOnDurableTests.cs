extern alias functions;
using System.Collections.Concurrent;
using functions::Messaging.Functions.Campaigns;
using functions::Messaging.Functions.Workflows;
using Messaging.Shared.Campaigns;
using Messaging.Shared.Workflows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Functions.Tests.Durable;

/// <summary>The campaign as it runs in Azure: src/Functions' orchestration and page activity on the Durable runtime.</summary>
[Trait("Runtime", "Durable")]
[Collection(DurableCollection.Name)]
public sealed class CampaignOnDurableTests(AzuriteFixture azurite)
{
    private static readonly CampaignTemplateRef Template = new("winter_sale", "de");

    /// <summary>Page answers as a script: by default every recipient of the page is sent.</summary>
    private sealed class ScriptedPages : IWorkflowEffects<CampaignEffect, CampaignInput>
    {
        public ConcurrentQueue<CampaignEffect.SendPage> Ran { get; } = new();

        public Func<CampaignEffect.SendPage, CampaignInput.PageSent> Answer { get; set; } = Sent;

        public static CampaignInput.PageSent Sent(CampaignEffect.SendPage page) =>
            new(page.Page, page.Round, CampaignTally.Empty.WithSent().WithSent(), 0, false, null, DateTimeOffset.UtcNow);

        public Task<CampaignInput?> ExecuteAsync(CampaignEffect effect, CancellationToken cancellationToken)
        {
            if (effect is not CampaignEffect.SendPage page)
            {
                return Task.FromResult<CampaignInput?>(null);
            }

            Ran.Enqueue(page);
            return Task.FromResult<CampaignInput?>(Answer(page));
        }
    }

    private static async Task<(DurableTaskTestHost Host, ServiceProvider Services, ScriptedPages Pages)> StartAsync(AzuriteFixture azurite)
    {
        var pages = new ScriptedPages();
        var storage = azurite.CreateIsolatedStorage(out _);
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var services = new ServiceCollection()
            .AddSingleton(storage)
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IWorkflowEffects<CampaignEffect, CampaignInput>>(pages)
            .AddSingleton<IWorkflowDefinition>(CampaignWorkflow.Definition)
            .AddWorkflowKernel()
            .AddSingleton<DurableWorkflowDispatcher>()
            .BuildServiceProvider();
        var functions = new CampaignFunctions(services);
        var host = await DurableTestHosts.StartAsync(
            tasks =>
            {
                tasks.AddOrchestratorFunc<string, string>(CampaignWorkflow.OrchestrationName, (context, _) => CampaignFunctions.RunAsync(context));
                tasks.AddActivityFunc<string, string?>(CampaignWorkflow.Definition.EffectActivityName, (_, effect) => functions.EffectAsync(effect, CancellationToken.None));
            });
        return (host, services, pages);
    }

    private static Task ApplyAsync(DurableTaskTestHost host, ServiceProvider services, string op, string campaignId, string inputId, CampaignInput input) =>
        services.GetRequiredService<DurableWorkflowDispatcher>().ApplyAsync(
            host.Client,
            WorkflowRequest.For(op, CampaignWorkflow.Instance(campaignId), inputId, CampaignWorkflow.Definition.SerializeInput(input)),
            CancellationToken.None);

    private static async Task StartCampaignAsync(DurableTaskTestHost host, ServiceProvider services, string campaignId, int pages)
    {
        var plan = new CampaignPlan(campaignId, Template, "marketing", true, pages, pages * 2);
        await ApplyAsync(host, services, WorkflowRequest.Start, campaignId, "start", new CampaignInput.Created(plan, DateTimeOffset.UtcNow));
        await ApplyAsync(host, services, WorkflowRequest.Signal, campaignId, "operator-start", new CampaignInput.StartRequested(null, DateTimeOffset.UtcNow));
    }

    private static async Task<CampaignState> FinishedAsync(DurableTaskTestHost host, string campaignId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var metadata = await host.Client.WaitForInstanceCompletionAsync(CampaignWorkflow.Instance(campaignId).Id, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        return CampaignWorkflow.Definition.DeserializeState(metadata.ReadOutputAs<string>()!);
    }

    [Fact]
    public async Task Given_a_throttled_page_when_the_durable_timer_fires_then_the_same_page_is_sent_again_and_the_campaign_completes()
    {
        var (host, services, pages) = await StartAsync(azurite);
        await using var _ = host;
        await using var __ = services;
        var throttledOnce = 0;
        pages.Answer = page => page.Page == 1 && Interlocked.Exchange(ref throttledOnce, 1) == 0
            ? new CampaignInput.PageSent(page.Page, page.Round, CampaignTally.Empty.WithSent(), 1, true, null, DateTimeOffset.UtcNow)
            : ScriptedPages.Sent(page);

        await StartCampaignAsync(host, services, "c-durable-throttle", pages: 3);

        var done = Assert.IsType<CampaignState.Completed>(await FinishedAsync(host, "c-durable-throttle"));
        Assert.Equal([0, 1, 1, 2], pages.Ran.Select(p => p.Page));
        Assert.Equal(6, done.Progress.Tally.Sent);
        Assert.Equal(1, done.Progress.Slowdowns);
    }

    [Fact]
    public async Task Given_a_template_paused_by_meta_when_resumed_then_the_paused_page_is_sent_again_and_the_campaign_completes()
    {
        var (host, services, pages) = await StartAsync(azurite);
        await using var _ = host;
        await using var __ = services;
        var pausedOnce = 0;
        pages.Answer = page => page.Page == 0 && Interlocked.Exchange(ref pausedOnce, 1) == 0
            ? new CampaignInput.PageSent(0, page.Round, CampaignTally.Empty, 2, false, CampaignSendOutcomes.TemplatePaused, DateTimeOffset.UtcNow)
            : ScriptedPages.Sent(page);

        await StartCampaignAsync(host, services, "c-durable-pause", pages: 2);
        await Eventually.TrueAsync(() => Task.FromResult(pages.Ran.Count == 1));

        // The pause lands when the orchestration has applied the page's answer; a resume before that is a no-op, so
        // the operator presses resume until it takes.
        var presses = 0;
        await Eventually.TrueAsync(async () =>
        {
            await ApplyAsync(host, services, WorkflowRequest.Signal, "c-durable-pause", $"operator-resume-{++presses}", new CampaignInput.ResumeRequested(DateTimeOffset.UtcNow));
            await Task.Delay(200);
            return pages.Ran.Count >= 2;
        });

        var done = Assert.IsType<CampaignState.Completed>(await FinishedAsync(host, "c-durable-pause"));
        Assert.Equal([0, 0, 1], pages.Ran.Select(p => p.Page));
        Assert.Equal(4, done.Progress.Tally.Sent);
    }
}
