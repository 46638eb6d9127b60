using Messaging.Functions.Hosting;
using Messaging.Shared.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Operations;

/// <summary>
/// The operator's parked-webhook API, as LocalHost's ParkedWebhookEndpoints. AuthorizationLevel.Function: the
/// platform enforces x-functions-key before the function runs (LocalHost's ApiKeyFilter imitates it).
/// </summary>
public sealed class ParkedWebhookFunctions(ParkedWebhookStore store)
{
    [Function("ListParkedWebhooks")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/operations/parked-webhooks")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var max = int.TryParse(request.Query["max"], out var requested) ? requested : 100;
        return new TypedResultAction(TypedResults.Ok(await store.ListAsync(Math.Clamp(max, 1, 1000), cancellationToken)));
    }

    [Function("ReplayParkedWebhook")]
    public async Task<IActionResult> ReplayAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/operations/parked-webhooks/{id}/replay")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (!WebhookEnvelope.IsId(id))
        {
            return new TypedResultAction(TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["id"] = ["A parked webhook id is 64 lowercase hex characters."] }));
        }

        return new TypedResultAction(await store.ReplayAsync(id, cancellationToken) ? TypedResults.Accepted((string?)null) : TypedResults.NotFound());
    }
}
