using Messaging.Functions.Hosting;
using Messaging.Shared.Outbound;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Operations;

/// <summary>
/// The operator's list of sends with an unknown outcome, as LocalHost's OutboxEndpoints. AuthorizationLevel.Function:
/// the platform enforces x-functions-key before the function runs.
/// </summary>
public sealed class OutboxFunctions(OutboundMessenger messenger)
{
    [Function("ListUnknownSends")]
    public async Task<IActionResult> ListUnknownAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/operations/outbox/unknown")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var max = int.TryParse(request.Query["max"], out var requested) ? requested : 100;
        return new TypedResultAction(TypedResults.Ok(await messenger.ListUnknownAsync(Math.Clamp(max, 1, 1000), cancellationToken)));
    }
}
