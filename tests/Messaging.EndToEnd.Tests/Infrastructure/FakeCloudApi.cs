using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Messaging.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The Cloud API's send endpoint in the test process, so it outlives a LocalHost killed with SIGKILL and can tell
/// exactly what "Meta" received. It can hold requests unanswered, to kill LocalHost while a send is in Meta's hands.
/// </summary>
public sealed class FakeCloudApi : IAsyncDisposable
{
    public const string Token = "e2e-graph-token";
    public const string PhoneNumberId = "106540352242922";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonElement> _received = new();
    private volatile TaskCompletionSource? _hold;

    private FakeCloudApi(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Every send request body that arrived, answered or not.</summary>
    public IReadOnlyList<JsonElement> Received => [.. _received];

    /// <summary>Completes when a request arrives while <see cref="HoldRequests"/> is in force.</summary>
    public TaskCompletionSource FirstHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeCloudApi> StartAsync()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var api = new FakeCloudApi(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/{version}/{phoneNumberId}/messages", api.SendAsync);
        await app.StartAsync();
        return api;
    }

    /// <summary>From now on requests are received but not answered until <see cref="AnswerRequests"/>.</summary>
    public void HoldRequests() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void AnswerRequests() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    /// <summary>Settings that point a LocalHost's outbound at this fake instead of its built-in sandbox.</summary>
    public void Configure(IDictionary<string, string> settings)
    {
        settings["Meta__AccessToken"] = Token;
        settings["Meta__PhoneNumberId"] = PhoneNumberId;
        settings["Meta__GraphApiBaseUrl"] = BaseAddress.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        AnswerRequests();
        await _app.DisposeAsync();
    }

    private async Task<IResult> SendAsync(HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body);
        _received.Enqueue(body.RootElement.Clone());
        if (_hold is { } hold)
        {
            FirstHeld.TrySetResult();
            await hold.Task;
        }

        return Results.Json(new { messaging_product = "whatsapp", messages = new[] { new { id = "wamid.E2E" + Guid.NewGuid().ToString("N") } } });
    }
}
