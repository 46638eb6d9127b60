using Messaging.LocalHost.Workflows;
using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.OptIn;
using Messaging.Shared.Conversations;
using Messaging.Shared.Contacts;
using Messaging.Shared.Privacy;
using Messaging.Shared.Security;
using Messaging.Shared.Tests.Infrastructure;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Messaging.Shared.Tests.Consent.Integration;

/// <summary>
/// The core plus consent, composed as LocalHost composes them, on Azurite, with WireMock answering as Graph.
/// Inbound webhooks go through the real processor; double opt-in runs on the real table driver and worker.
/// </summary>
public sealed class ConsentHarness : IAsyncDisposable
{
    public const string Phone = "+4915112345678";
    public const string WaId = "4915112345678";
    private readonly WorkflowQueueWorker? _worker;

    private ConsentHarness(CoreHarness core, WireMockServer graph, WorkflowQueueWorker? worker)
    {
        Core = core;
        Graph = graph;
        _worker = worker;
    }

    public CoreHarness Core { get; }

    public WireMockServer Graph { get; }

    public ConsentLedger Ledger => Core.Get<ConsentLedger>();

    public TableWorkflowDriver Driver => Core.Get<TableWorkflowDriver>();

    public IReadOnlyList<string> SentBodies => [.. Graph.LogEntries.Where(e => e.RequestMessage.Path.EndsWith("/messages", StringComparison.Ordinal)).Select(e => e.RequestMessage.Body ?? "")];

    public static Dictionary<string, string?> Settings(AzuriteFixture azurite, TimeSpan? confirmationWindow = null)
    {
        var settings = CoreHarness.NewSettings(azurite);
        settings["Meta:AccessToken"] = "graph-test-token";
        settings["Meta:PhoneNumberId"] = "106540352242922";
        settings["Consent:BusinessName"] = "Test Bakery";
        settings["Consent:BusinessPhoneNumber"] = "4930901820";
        settings["Consent:PrivacyNoticeUrl"] = "https://bakery.example/privacy";
        settings["Consent:PrivacyNoticeVersion"] = "privacy-v3";
        settings["Consent:ConsentTextVersion"] = "marketing-v2";
        settings["Consent:MarketingConsentTextDe"] = "Ja, ich möchte Angebote per WhatsApp.";
        settings["Consent:MarketingConsentTextEn"] = "Yes, I want offers on WhatsApp.";
        settings["DoubleOptIn:ConfirmationWindow"] = (confirmationWindow ?? TimeSpan.FromHours(72)).ToString();
        settings["Outbound:RetryBaseDelay"] = "00:00:00.010";
        return settings;
    }

    public static async Task<ConsentHarness> StartAsync(
        AzuriteFixture azurite, Dictionary<string, string?>? settings = null, bool runWorker = true, Action<IServiceCollection>? configure = null)
    {
        var graph = WireMockServer.Start();
        graph.Given(Request.Create().WithPath("/v24.0/106540352242922/messages").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(_ => $$"""{"messaging_product":"whatsapp","messages":[{"id":"wamid.{{Guid.NewGuid():N}}"}]}"""));
        settings ??= Settings(azurite);
        settings["Meta:GraphApiBaseUrl"] = graph.Url;
        var core = await CoreHarness.StartAsync(azurite, (services, configuration) =>
        {
            services.AddConsent(configuration);
            services.AddPrivacy(configuration);
            services.AddSingleton<TableWorkflowDriver>();
            configure?.Invoke(services);
        }, settings);
        WorkflowQueueWorker? worker = null;
        if (runWorker)
        {
            worker = ActivatorUtilities.CreateInstance<WorkflowQueueWorker>(core.Services);
            await worker.StartAsync(CancellationToken.None);
        }

        return new ConsentHarness(core, graph, worker);
    }

    /// <summary>A harness whose core also keeps conversations (the inbox rows an inbound message writes).</summary>
    public static Task<ConsentHarness> StartWithConversationsAsync(AzuriteFixture azurite)
    {
        var settings = Settings(azurite);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return StartAsync(azurite, settings, configure: services => services.AddConversations(configuration));
    }

    /// <summary>A text from <paramref name="waId"/> delivered through the processor; the contact key it was filed under.</summary>
    public async Task<string> DeliverTextFromAsync(string waId, string wamid, string text)
    {
        await DeliverAsync(Text(wamid, text).Replace(WaId, waId, StringComparison.Ordinal));
        return (await Core.Get<ContactDirectory>().FindByPhoneAsync("+" + waId, CancellationToken.None))!;
    }

    public Task<string> ContactAsync() => Core.Get<ContactDirectory>().ResolveOrCreateByPhoneAsync(Phone, CancellationToken.None);

    /// <summary>
    /// Delivers a signed-and-parsed webhook through the real processor, as the queue worker would, then runs the
    /// sends it queued, as the outbound worker would.
    /// </summary>
    public async Task<ProcessingOutcome> DeliverAsync(string json)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(json);
        var outcome = await Core.Get<InboundWebhookProcessor>().ProcessAsync(new WebhookEnvelope(WebhookEnvelope.IdOf(body), DateTimeOffset.UtcNow, body, null), 1, CancellationToken.None);
        await Core.DrainOutboundAsync();
        return outcome;
    }

    public static string Message(string wamid, string type, string content, DateTimeOffset? at = null) =>
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"4930901820","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Erika"},"wa_id":"{{{WaId}}}"}],"messages":[{"from":"{{{WaId}}}","id":"{{{wamid}}}","timestamp":"{{{(at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds()}}}","type":"{{{type}}}",{{{content}}}}]}}]}]}""";

    public static string Text(string wamid, string text, DateTimeOffset? at = null) => Message(wamid, "text", $$"""  "text":{"body":"{{text}}"}""", at);

    public static string Button(string wamid, string payload, string label) => Message(wamid, "button", $$"""  "button":{"payload":"{{payload}}","text":"{{label}}"}""");

    public string Evidence(string wamid) => Core.Get<KeyedHasher>().Hash("evidence:wamid", wamid);

    /// <summary>The double opt-in's state as the table driver stored it; null before the start was handled.</summary>
    public async Task<DoubleOptInState?> OptInStateAsync(string contactKey, string requestId) =>
        await Driver.GetAsync(DoubleOptInWorkflow.Instance(contactKey, requestId), CancellationToken.None) is { } snapshot
            ? DoubleOptInWorkflow.Definition.DeserializeState(snapshot.StateJson)
            : null;

    public async Task<ConsentHead> HeadAsync(string contactKey) => await Ledger.GetHeadAsync(contactKey, ConsentPurpose.Marketing, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync(CancellationToken.None);
            _worker.Dispose();
        }

        Graph.Stop();
        Graph.Dispose();
        await Core.DisposeAsync();
    }
}
