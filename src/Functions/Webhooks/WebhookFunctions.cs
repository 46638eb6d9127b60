using Messaging.Shared.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Webhooks;

/// <summary>
/// Meta's webhook, as LocalHost's WebhookEndpoints, onto the shared <see cref="WebhookHandlers"/>. Anonymous on
/// purpose: Meta cannot send a function key; the handlers check the verify token and the signature instead.
/// </summary>
public sealed class WebhookFunctions(WebhookHandlers handlers)
{
    [Function("VerifyWebhook")]
    public Results<ContentHttpResult, ProblemHttpResult> Verify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/whatsapp/webhook")] HttpRequest request) =>
        handlers.Verify(request);

    [Function("ReceiveWebhook")]
    public Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/whatsapp/webhook")] HttpRequest request, CancellationToken cancellationToken) =>
        handlers.ReceiveAsync(request, cancellationToken);
}
