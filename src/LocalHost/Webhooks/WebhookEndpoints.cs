using Messaging.Shared.Webhooks;

namespace Messaging.LocalHost.Webhooks;

/// <summary>Meta's webhook (the Functions app's WebhookFunctions): the GET handshake and the signed POST.</summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/whatsapp").WithTags("Webhook");

        group.MapGet("/webhook", (HttpRequest request, WebhookHandlers handlers) => handlers.Verify(request))
            .WithName("VerifyWebhook")
            .WithSummary("Meta's subscription handshake: echoes hub.challenge when hub.mode=subscribe and hub.verify_token matches.");

        group.MapPost("/webhook", (HttpRequest request, WebhookHandlers handlers, CancellationToken cancellationToken) =>
                handlers.ReceiveAsync(request, cancellationToken))
            .WithName("ReceiveWebhook")
            .WithSummary("Verifies X-Hub-Signature-256 over the raw body, enqueues it durably and acknowledges; 503 at once when storage does not take it in time.")
            .DisableAntiforgery();

        return app;
    }
}
