using Azure.Storage.Queues;

namespace Messaging.Bench;

/// <summary>
/// The floor: the cheapest possible durable ack on the same hosting as LocalHost (its own process, Kestrel,
/// WebApplication.CreateBuilder). It reads the body, does exactly one queue put of it and answers 200 after the
/// put succeeded; no signature check, no envelope, no routing key.
/// </summary>
internal static class FloorServer
{
    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var queue = new QueueClient(
            builder.Configuration["Storage:ConnectionString"] ?? throw new InvalidOperationException("Storage__ConnectionString is required."),
            builder.Configuration["Floor:Queue"] ?? "bench-floor");
        await queue.CreateIfNotExistsAsync();

        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok());
        app.MapPost("/webhook", async (HttpRequest request) =>
        {
            var body = await BinaryData.FromStreamAsync(request.Body);
            await queue.SendMessageAsync(body, cancellationToken: CancellationToken.None);
            return Results.Ok();
        });
        await app.RunAsync();
    }
}
