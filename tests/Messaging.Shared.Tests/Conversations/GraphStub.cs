using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Messaging.Shared.Tests.Conversations;

/// <summary>The Cloud API as far as these tests need it: sends are accepted with a new wamid; one media id is known.</summary>
public static class GraphStub
{
    public const string MediaId = "1013859600285441";
    public static readonly byte[] MediaBytes = [0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4];

    public static WireMockServer Start()
    {
        var graph = WireMockServer.Start();
        graph.Given(Request.Create().WithPath("/v24.0/106540352242922/messages").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(_ => $$"""{"messaging_product":"whatsapp","messages":[{"id":"wamid.{{Guid.NewGuid():N}}"}]}"""));
        graph.Given(Request.Create().WithPath($"/v24.0/{MediaId}").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"url":"{{graph.Url}}/download/{{MediaId}}","mime_type":"image/png","id":"{{MediaId}}"}"""));
        graph.Given(Request.Create().WithPath($"/download/{MediaId}").UsingGet().WithHeader("Authorization", "Bearer graph-test-token"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "image/png").WithBody(MediaBytes));
        return graph;
    }
}
