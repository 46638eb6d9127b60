using Messaging.Functions.Hosting;
using Messaging.Shared.Configuration;
using Messaging.Shared.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Messaging.Functions.Webhooks;

/// <summary>
/// Meta's webhook, same routes and answers as LocalHost's WebhookEndpoints. Anonymous on purpose: Meta cannot send
/// a function key; the GET needs the verify token and the POST a valid X-Hub-Signature-256 before anything happens.
/// </summary>
public sealed class WebhookFunctions(WebhookIngress ingress, IOptions<MetaOptions> meta)
{
    [Function("VerifyWebhook")]
    public IActionResult Verify([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/whatsapp/webhook")] HttpRequest request)
    {
        var answer = WebhookVerification.Challenge(
            request.Query["hub.mode"], request.Query["hub.verify_token"], request.Query["hub.challenge"], meta.Value.VerifyToken);
        return new TypedResultAction(answer is null
            ? TypedResults.Problem("Verification failed.", statusCode: StatusCodes.Status403Forbidden)
            : TypedResults.Text(answer, "text/plain"));
    }

    [Function("ReceiveWebhook")]
    public async Task<IActionResult> ReceiveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/whatsapp/webhook")] HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await WebhookBodyReader.ReadAsync(request.Body, request.ContentLength, cancellationToken);
        if (body is null)
        {
            return new TypedResultAction(TypedResults.Problem("Webhook bodies larger than 4 MiB are refused.", statusCode: StatusCodes.Status413PayloadTooLarge));
        }

        var status = await ingress.AcceptAsync(request.Headers["X-Hub-Signature-256"], body, cancellationToken);
        if (status == IngressStatus.StorageUnavailable)
        {
            request.HttpContext.Response.Headers.RetryAfter = "5";
        }

        return new TypedResultAction(status switch
        {
            IngressStatus.Accepted => TypedResults.Ok(),
            IngressStatus.SignatureMissing => TypedResults.Problem("X-Hub-Signature-256 is required.", statusCode: StatusCodes.Status401Unauthorized),
            IngressStatus.StorageUnavailable => TypedResults.Problem("Storage is unavailable; deliver the webhook again later.", statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => TypedResults.Problem("X-Hub-Signature-256 does not match the body.", statusCode: StatusCodes.Status403Forbidden),
        });
    }
}
