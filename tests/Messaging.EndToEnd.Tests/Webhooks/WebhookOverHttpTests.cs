using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Messaging.EndToEnd.Tests.Infrastructure;
using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;

namespace Messaging.EndToEnd.Tests.Webhooks;

[Collection(LocalHostCollection.Name)]
public sealed class WebhookOverHttpTests(LocalHostFixture fixture)
{
    private LocalHostProcess Host => fixture.Host;

    [Fact]
    public async Task Meta_handshake_echoes_the_challenge_only_with_the_right_token()
    {
        var token = Uri.EscapeDataString(Host.Settings["Meta__VerifyToken"]);
        using var ok = await Host.Client.GetAsync(new Uri($"/api/whatsapp/webhook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={token}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", ok.Content.Headers.ContentType?.MediaType);

        using var wrong = await Host.Client.GetAsync(new Uri("/api/whatsapp/webhook?hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
    }

    [Fact]
    public async Task A_signed_message_is_acknowledged_and_then_stored()
    {
        var before = await Infrastructure.Webhooks.CountMessagesAsync(Host.Settings);
        using var response = await Infrastructure.Webhooks.PostSignedAsync(Host, Infrastructure.Webhooks.TextMessage("wamid.E2E-" + Guid.NewGuid().ToString("N"), "4915199990001", "Hallo"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.TrueAsync(async () => await Infrastructure.Webhooks.CountMessagesAsync(Host.Settings) > before);
    }

    [Fact]
    public async Task Unsigned_and_wrongly_signed_webhooks_are_refused()
    {
        var body = Infrastructure.Webhooks.TextMessage("wamid.E2E-UNSIGNED", "4915199990002", "Hallo");
        using var missing = await Infrastructure.Webhooks.PostSignedAsync(Host, body, omitSignature: true);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        using var wrong = await Infrastructure.Webhooks.PostSignedAsync(Host, body, signatureOverride: "sha256=" + new string('0', 64));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        using var malformed = await Infrastructure.Webhooks.PostSignedAsync(Host, body, signatureOverride: "sha1=abc");
        Assert.Equal(HttpStatusCode.Forbidden, malformed.StatusCode);
    }

    [Fact]
    public async Task A_declared_body_above_four_mebibytes_is_refused_without_reading_it()
    {
        // Raw socket: send only the headers of a 5 MiB request and read the answer without sending a body byte.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(Host.BaseAddress.Host, Host.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = "POST /api/whatsapp/webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
                   $"Content-Length: {5 * 1024 * 1024}\r\nX-Hub-Signature-256: sha256={new string('0', 64)}\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        var answer = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!answer.ToString().Contains("4 MiB", StringComparison.Ordinal) && await stream.ReadAsync(buffer, timeout.Token) is var read and > 0)
        {
            answer.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.StartsWith("HTTP/1.1 413", answer.ToString(), StringComparison.Ordinal);
        // The shared reader's problem details, not the server's own limit: the only guard the Functions host has.
        Assert.Contains("larger than 4 MiB", answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_that_grows_past_four_mebibytes_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/whatsapp/webhook")
        {
            Content = new StreamContent(new NeverEndingStream(limit: 5L * 1024 * 1024)),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + new string('0', 64));
        using var response = await Host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than 4 MiB", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_three_megabyte_signed_webhook_is_accepted()
    {
        var body = Infrastructure.Webhooks.TextMessage("wamid.E2E-BIG-" + Guid.NewGuid().ToString("N"), "4915199990003", new string('x', 3_000_000));
        using var response = await Infrastructure.Webhooks.PostSignedAsync(Host, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_is_ok_while_storage_answers()
    {
        using var response = await Host.Client.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_poison_body_is_parked_listed_for_the_operator_and_replayable()
    {
        var body = "signed but not json " + Guid.NewGuid();
        using var ack = await Infrastructure.Webhooks.PostSignedAsync(Host, body);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var id = WebhookEnvelope.IdOf(System.Text.Encoding.UTF8.GetBytes(body));

        using var anonymous = await Host.Client.GetAsync(new Uri("/api/operations/parked-webhooks", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "/api/operations/parked-webhooks");
        wrongKey.Headers.Add("x-functions-key", "nope");
        Assert.Equal(HttpStatusCode.Forbidden, (await Host.Client.SendAsync(wrongKey)).StatusCode);

        List<ParkedWebhook>? parked = null;
        await Eventually.TrueAsync(async () =>
        {
            using var list = new HttpRequestMessage(HttpMethod.Get, "/api/operations/parked-webhooks");
            list.Headers.Add("x-functions-key", Host.Settings["Api__Key"]);
            using var response = await Host.Client.SendAsync(list);
            parked = await response.Content.ReadFromJsonAsync<List<ParkedWebhook>>();
            return parked!.Any(p => p.Id == id);
        });

        using var replay = new HttpRequestMessage(HttpMethod.Post, $"/api/operations/parked-webhooks/{id}/replay");
        replay.Headers.Add("x-functions-key", Host.Settings["Api__Key"]);
        Assert.Equal(HttpStatusCode.Accepted, (await Host.Client.SendAsync(replay)).StatusCode);
    }

    /// <summary>A body source that would take forever to read: proves the server answers without consuming it.</summary>
    private sealed class NeverEndingStream(long limit = long.MaxValue) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= limit)
            {
                return 0;
            }

            var n = (int)Math.Min(count, limit - _position);
            Array.Fill(buffer, (byte)'x', offset, n);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
