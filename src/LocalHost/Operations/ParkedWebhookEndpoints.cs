using Messaging.LocalHost.Security;
using Messaging.Shared.Operations;

namespace Messaging.LocalHost.Operations;

/// <summary>The operator's parked-webhook API (the Functions app's ParkedWebhookFunctions).</summary>
public static class ParkedWebhookEndpoints
{
    public static IEndpointRouteBuilder MapParkedWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operations/parked-webhooks").WithTags("Operations").RequireApiKey();

        group.MapGet("/", (HttpRequest request, ParkedWebhookHandlers handlers, CancellationToken cancellationToken) =>
                handlers.ListAsync(request, cancellationToken))
            .WithName("ListParkedWebhooks")
            .WithSummary("Parked (poison) webhooks, newest first; no payloads. ?max=1..1000 (default 100).");

        group.MapPost("/{id}/replay", (string id, ParkedWebhookHandlers handlers, CancellationToken cancellationToken) =>
                handlers.ReplayAsync(id, cancellationToken))
            .WithName("ReplayParkedWebhook")
            .WithSummary("Puts a parked webhook back on the inbound queue.");

        return app;
    }
}
