using Messaging.EndToEnd.Tests.Infrastructure;
using Messaging.EndToEnd.Tests.Sandbox;

namespace Messaging.EndToEnd.Tests.Conversations;

/// <summary>GET /api/media/{id} on LocalHost without Meta credentials: the sandbox's media endpoint answers.</summary>
public sealed class SandboxMediaTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private LocalHostProcess Host => fixture.Host;

    private async Task<HttpResponseMessage> GetAsync(string mediaId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/media/" + mediaId);
        request.Headers.Add("x-functions-key", Host.Settings["Api__Key"]);
        return await Host.Client.SendAsync(request);
    }

    [Fact]
    public async Task A_sandbox_attachment_streams_through_the_media_endpoint_and_an_unknown_one_is_not_found()
    {
        using var known = await GetAsync("sandbox-media-1");
        using var unknown = await GetAsync("1013859600285441");

        Assert.Equal(200, (int)known.StatusCode);
        Assert.Equal("image/png", known.Content.Headers.ContentType?.MediaType);
        var bytes = await known.Content.ReadAsByteArrayAsync();
        Assert.Equal([0x89, 0x50, 0x4e, 0x47], bytes[..4]);
        Assert.Equal(404, (int)unknown.StatusCode);
    }
}
