using System.Collections.Concurrent;
using System.Text.Json;

namespace Messaging.Bench;

/// <summary>
/// A stand-in for the Cloud API's send endpoint that lives in the benchmark process, so it survives when LocalHost is
/// killed and counts exactly what "Meta" accepted: per recipient, how many privacy notices and other messages.
/// It answers like Graph (a wamid per accepted message) and posts no status webhooks back.
/// </summary>
internal sealed class FakeGraph : IAsyncDisposable
{
    public const string Token = "bench-graph-token";
    public const string PhoneNumberId = "106540352242922";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _notices = new(StringComparer.Ordinal);
    private long _messages;

    private FakeGraph(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public long Messages => Interlocked.Read(ref _messages);

    public IReadOnlyDictionary<string, int> NoticesByRecipient => _notices;

    public void Reset()
    {
        _notices.Clear();
        Interlocked.Exchange(ref _messages, 0);
    }

    public static async Task<FakeGraph> StartAsync()
    {
        var port = ServerProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var graph = new FakeGraph(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/{version}/{phoneNumberId}/messages", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            var root = body.RootElement;
            var to = root.GetProperty("to").GetString() ?? "";
            var text = root.TryGetProperty("text", out var t) ? t.GetProperty("body").GetString() ?? "" : "";
            Interlocked.Increment(ref graph._messages);
            if (text.Contains(LocalHostSettings.PrivacyNoticeUrl, StringComparison.Ordinal))
            {
                graph._notices.AddOrUpdate(to, 1, (_, n) => n + 1);
            }

            return Accepted(to);
        });
        await app.StartAsync();
        return graph;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The Cloud API's answer to an accepted send, as both fake Cloud APIs of the benchmarks give it.</summary>
    public static IResult Accepted(string to) => Results.Json(new
    {
        messaging_product = "whatsapp",
        contacts = new[] { new { input = to, wa_id = to.TrimStart('+') } },
        messages = new[] { new { id = "wamid.BENCH" + Guid.NewGuid().ToString("N") } },
    });
}
