using System.Globalization;
using Messaging.Shared.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Operations;

/// <summary>For the operator, on both hosts: list webhooks that could not be processed, and replay one once the cause is fixed.</summary>
public sealed class ParkedWebhookHandlers(ParkedWebhookStore store)
{
    public const int DefaultMax = 100;
    public const int LargestMax = 1000;

    /// <summary>Newest first, no payloads; <c>?max=</c> 1 to 1000 (default 100).</summary>
    public async Task<Results<Ok<IReadOnlyList<ParkedWebhook>>, ValidationProblem>> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var max = DefaultMax;
        if (request.Query.TryGetValue("max", out var requested)
            && !(int.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out max) && max is >= 1 and <= LargestMax))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["max"] = [$"A whole number from 1 to {LargestMax}."] });
        }

        return TypedResults.Ok(await store.ListAsync(max, cancellationToken));
    }

    public async Task<Results<Accepted, NotFound, ValidationProblem>> ReplayAsync(string id, CancellationToken cancellationToken)
    {
        if (!WebhookEnvelope.IsId(id))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["A parked webhook id is 64 lowercase hex characters."] });
        }

        return await store.ReplayAsync(id, cancellationToken) ? TypedResults.Accepted((string?)null) : TypedResults.NotFound();
    }
}
