using Messaging.Shared.Operations;
using Messaging.Shared.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Operations;

/// <summary>
/// The operator's parked-webhook API, as LocalHost's ParkedWebhookEndpoints, onto the shared
/// <see cref="ParkedWebhookHandlers"/>. AuthorizationLevel.Function: the platform enforces x-functions-key.
/// </summary>
public sealed class ParkedWebhookFunctions(ParkedWebhookHandlers handlers)
{
    [Function("ListParkedWebhooks")]
    public Task<Results<Ok<IReadOnlyList<ParkedWebhook>>, ValidationProblem>> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/operations/parked-webhooks")] HttpRequest request,
        CancellationToken cancellationToken) =>
        handlers.ListAsync(request, cancellationToken);

    [Function("ReplayParkedWebhook")]
    public Task<Results<Accepted, NotFound, ValidationProblem>> ReplayAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/operations/parked-webhooks/{id}/replay")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        handlers.ReplayAsync(id, cancellationToken);
}
