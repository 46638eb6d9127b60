using Messaging.Shared.Operations;
using Messaging.Shared.Outbound;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Operations;

/// <summary>
/// The operator's list of sends with an unknown outcome, as LocalHost's OutboxEndpoints, onto the shared
/// <see cref="OutboxHandlers"/>. AuthorizationLevel.Function: the platform enforces x-functions-key.
/// </summary>
public sealed class OutboxFunctions(OutboxHandlers handlers)
{
    [Function("ListUnknownSends")]
    public Task<Results<Ok<IReadOnlyList<UnknownSend>>, ValidationProblem>> ListUnknownAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/operations/outbox/unknown")] HttpRequest request,
        CancellationToken cancellationToken) =>
        handlers.ListUnknownAsync(request, cancellationToken);
}
