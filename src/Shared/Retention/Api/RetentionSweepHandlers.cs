using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Retention.Api;

/// <summary>The operator's retention-sweep API over HTTP, for both hosts, onto <see cref="RetentionSweepOperations"/>.</summary>
public sealed class RetentionSweepHandlers(RetentionSweepOperations operations)
{
    public const string Route = "/api/operations/retention-sweeps";

    /// <summary>Starts a sweep, or answers with the one already running; Location is where to follow it.</summary>
    public async Task<Accepted<RetentionSweepAccepted>> StartAsync(CancellationToken cancellationToken)
    {
        var accepted = await operations.StartAsync(cancellationToken);
        return TypedResults.Accepted($"{Route}/{accepted.SweepId}", accepted);
    }

    public async Task<Results<Ok<RetentionSweepResponse>, NotFound, ValidationProblem>> GetAsync(string sweepId, CancellationToken cancellationToken)
    {
        if (!RetentionSweepStore.IsKeySafe(sweepId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sweepId"] = ["A sweep id is 1 to 64 letters, digits or dashes."] });
        }

        return await operations.GetAsync(sweepId, cancellationToken) is { } sweep ? TypedResults.Ok(sweep) : TypedResults.NotFound();
    }
}
