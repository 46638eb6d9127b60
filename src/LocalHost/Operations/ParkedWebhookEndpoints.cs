using Messaging.LocalHost.Security;
using Messaging.Shared.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.LocalHost.Operations;

/// <summary>For the operator: list webhooks that could not be processed, and replay one once the cause is fixed.</summary>
public static class ParkedWebhookEndpoints
{
    public static IEndpointRouteBuilder MapParkedWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operations/parked-webhooks").WithTags("Operations").AddEndpointFilter<ApiKeyFilter>();

        group.MapGet("/", ListAsync)
            .WithName("ListParkedWebhooks")
            .WithSummary("Parked (poison) webhooks, newest first; no payloads.");

        group.MapPost("/{id}/replay", ReplayAsync)
            .WithName("ReplayParkedWebhook")
            .WithSummary("Puts a parked webhook back on the inbound queue.");

        return app;
    }

    internal static async Task<Ok<IReadOnlyList<ParkedWebhook>>> ListAsync(ParkedWebhookStore store, CancellationToken cancellationToken, int max = 100) =>
        TypedResults.Ok(await store.ListAsync(Math.Clamp(max, 1, 1000), cancellationToken));

    internal static async Task<Results<Accepted, NotFound, ValidationProblem>> ReplayAsync(string id, ParkedWebhookStore store, CancellationToken cancellationToken)
    {
        if (!WebhookEnvelope.IsId(id))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["A parked webhook id is 64 lowercase hex characters."] });
        }

        return await store.ReplayAsync(id, cancellationToken) ? TypedResults.Accepted((string?)null) : TypedResults.NotFound();
    }
}
