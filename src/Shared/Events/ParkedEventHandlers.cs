using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Events;

/// <summary>
/// For the operator, on both hosts: events a receiver did not accept within 24 hours of retries. List them (no data),
/// replay one once the receiver is fixed (it goes through the outbox again, with retries), or discard it.
/// </summary>
public sealed class ParkedEventHandlers(ParkedEventStore store)
{
    public const string Route = "/api/operations/parked-events";
    public const int DefaultMax = 100;
    public const int LargestMax = 1000;

    /// <summary>Newest first; <c>?max=</c> 1 to 1000 (default 100).</summary>
    public async Task<Results<Ok<IReadOnlyList<ParkedEvent>>, ValidationProblem>> ListAsync(HttpRequest request, CancellationToken cancellationToken)
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

    public async Task<Results<Accepted, NotFound, ValidationProblem>> ReplayAsync(string id, CancellationToken cancellationToken) =>
        !ParkedEventStore.IsId(id) ? InvalidId()
        : await store.ReplayAsync(id, cancellationToken) ? TypedResults.Accepted((string?)null) : TypedResults.NotFound();

    public async Task<Results<NoContent, NotFound, ValidationProblem>> DiscardAsync(string id, CancellationToken cancellationToken) =>
        !ParkedEventStore.IsId(id) ? InvalidId()
        : await store.DiscardAsync(id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static ValidationProblem InvalidId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["Pass the id of a parked event as the list shows it."] });
}
