using Messaging.Shared.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Events;

/// <summary>The operator's parked-event API, as LocalHost's ParkedEventEndpoints, onto the shared <see cref="ParkedEventHandlers"/>.</summary>
public sealed class ParkedEventFunctions(ParkedEventHandlers handlers)
{
    [Function("ListParkedEvents")]
    public Task<Results<Ok<IReadOnlyList<ParkedEvent>>, ValidationProblem>> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/operations/parked-events")] HttpRequest request, CancellationToken cancellationToken) =>
        handlers.ListAsync(request, cancellationToken);

    [Function("ReplayParkedEvent")]
    public Task<Results<Accepted, NotFound, ValidationProblem>> ReplayAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/operations/parked-events/{id}/replay")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        handlers.ReplayAsync(id, cancellationToken);

    [Function("DiscardParkedEvent")]
    public Task<Results<NoContent, NotFound, ValidationProblem>> DiscardAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "api/operations/parked-events/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        handlers.DiscardAsync(id, cancellationToken);
}
