using Messaging.Shared.Configuration;
using Messaging.Shared.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Messaging.LocalHost.Webhooks;

/// <summary>Meta's webhook: the GET handshake and the signed POST (same routes as the Functions app).</summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/whatsapp").WithTags("Webhook");

        group.MapGet("/webhook", Verify)
            .WithName("VerifyWebhook")
            .WithSummary("Meta's subscription handshake: echoes hub.challenge when hub.verify_token matches.");

        group.MapPost("/webhook", ReceiveAsync)
            .WithName("ReceiveWebhook")
            .WithSummary("Verifies X-Hub-Signature-256 over the raw body, enqueues it durably and acknowledges; 503 at once when storage does not take it in time.")
            .DisableAntiforgery();

        return app;
    }

    internal static Results<ContentHttpResult, ProblemHttpResult> Verify(
        [FromQuery(Name = "hub.mode")] string? mode,
        [FromQuery(Name = "hub.verify_token")] string? token,
        [FromQuery(Name = "hub.challenge")] string? challenge,
        IOptions<MetaOptions> meta)
    {
        var answer = WebhookVerification.Challenge(mode, token, challenge, meta.Value.VerifyToken);
        return answer is null
            ? TypedResults.Problem("Verification failed.", statusCode: StatusCodes.Status403Forbidden)
            : TypedResults.Text(answer, "text/plain");
    }

    internal static async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(HttpRequest request, WebhookIngress ingress, CancellationToken cancellationToken)
    {
        var body = await WebhookBodyReader.ReadAsync(request.Body, request.ContentLength, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem("Webhook bodies larger than 4 MiB are refused.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var status = await ingress.AcceptAsync(request.Headers["X-Hub-Signature-256"], body, cancellationToken);
        if (status == IngressStatus.StorageUnavailable)
        {
            request.HttpContext.Response.Headers.RetryAfter = "5";
        }

        return status switch
        {
            IngressStatus.Accepted => TypedResults.Ok(),
            IngressStatus.SignatureMissing => TypedResults.Problem("X-Hub-Signature-256 is required.", statusCode: StatusCodes.Status401Unauthorized),
            IngressStatus.StorageUnavailable => TypedResults.Problem("Storage is unavailable; deliver the webhook again later.", statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => TypedResults.Problem("X-Hub-Signature-256 does not match the body.", statusCode: StatusCodes.Status403Forbidden),
        };
    }
}
