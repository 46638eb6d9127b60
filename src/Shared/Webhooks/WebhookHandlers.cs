using Messaging.Shared.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Webhooks;

/// <summary>
/// Meta's webhook over HTTP, for both hosts: the GET subscription handshake and the signed POST. Anonymous on
/// purpose (Meta cannot send a key): the GET needs the verify token and the POST a valid X-Hub-Signature-256
/// before anything happens.
/// </summary>
public sealed class WebhookHandlers(WebhookIngress ingress, IOptions<MetaOptions> meta)
{
    public const string SignatureHeader = "X-Hub-Signature-256";

    public Results<ContentHttpResult, ProblemHttpResult> Verify(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = WebhookVerification.Challenge(
            request.Query["hub.mode"], request.Query["hub.verify_token"], request.Query["hub.challenge"], meta.Value.VerifyToken);
        return answer is null
            ? TypedResults.Problem("Verification failed.", statusCode: StatusCodes.Status403Forbidden)
            : TypedResults.Text(answer, "text/plain");
    }

    public async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The only size guard on Functions (LocalHost's Kestrel cap sits above it).
        var body = await WebhookBodyReader.ReadAsync(request.Body, request.ContentLength, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem("Webhook bodies larger than 4 MiB are refused.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var status = await ingress.AcceptAsync(request.Headers[SignatureHeader], body, cancellationToken);
        if (status == IngressStatus.StorageUnavailable)
        {
            // Meta retries a failed delivery anyway; the header tells any other sender when.
            request.HttpContext.Response.Headers.RetryAfter = "5";
        }

        return status switch
        {
            IngressStatus.Accepted => TypedResults.Ok(),
            IngressStatus.SignatureMissing => TypedResults.Problem($"{SignatureHeader} is required.", statusCode: StatusCodes.Status401Unauthorized),
            IngressStatus.StorageUnavailable => TypedResults.Problem("Storage is unavailable; deliver the webhook again later.", statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => TypedResults.Problem($"{SignatureHeader} does not match the body.", statusCode: StatusCodes.Status403Forbidden),
        };
    }
}
