using Messaging.Shared.Contacts;
using Messaging.Shared.Privacy.Keywords;
using Messaging.Shared.Privacy.Requests;
using Messaging.Shared.Tests.Consent.Integration;
using Messaging.Shared.Tests.Infrastructure;

namespace Messaging.Shared.Tests.Privacy.Integration;

/// <summary>Erasure and access asked for in WhatsApp, through the real inbound processor, with WireMock as Graph.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DataSubjectKeywordsOnAzuriteTests(AzuriteFixture azurite)
{
    private static string Interactive(string wamid, string replyId) =>
        ConsentHarness.Message(wamid, "interactive", $$$"""  "interactive":{"type":"button_reply","button_reply":{"id":"{{{replyId}}}","title":"Ja / Yes"}}""");

    [Fact]
    public async Task Given_the_erase_keyword_when_the_person_taps_yes_then_one_whatsapp_erasure_request_is_recorded_and_runs()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var requests = harness.Core.Get<DataSubjectRequests>();

        await harness.DeliverAsync(ConsentHarness.Text("wamid.K-1", "löschen!"));

        Assert.Contains(harness.SentBodies, b => b.Contains("\"interactive\"", StringComparison.Ordinal) && b.Contains("dsr:erasure:yes", StringComparison.Ordinal));
        Assert.Empty(await requests.ListAsync(null, CancellationToken.None));

        var tap = Interactive("wamid.K-2", DataSubjectInboundObserver.Payload("erasure", "yes"));
        await harness.DeliverAsync(tap);
        await harness.DeliverAsync(tap);

        var request = Assert.Single(await requests.ListAsync(null, CancellationToken.None));
        Assert.Equal("erasure", request.Kind);
        await Eventually.TrueAsync(async () => (await requests.GetAsync(request.RequestId, CancellationToken.None))!.Status == DataSubjectRequestKinds.Completed, TimeSpan.FromSeconds(60));
        Assert.Null(await harness.Core.Get<ContactDirectory>().FindByPhoneAsync(ConsentHarness.Phone, CancellationToken.None));
    }

    [Fact]
    public async Task Given_the_access_keyword_when_the_person_taps_no_then_nothing_is_recorded()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);

        await harness.DeliverAsync(ConsentHarness.Text("wamid.N-1", "My data"));
        await harness.DeliverAsync(Interactive("wamid.N-2", DataSubjectInboundObserver.Payload("access", "no")));
        await harness.DeliverAsync(ConsentHarness.Text("wamid.N-3", "please delete my data, thanks"));

        Assert.Single(harness.SentBodies, b => b.Contains("dsr:access:yes", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.SentBodies, b => b.Contains("dsr:erasure", StringComparison.Ordinal));
        Assert.Empty(await harness.Core.Get<DataSubjectRequests>().ListAsync(null, CancellationToken.None));
    }
}
