using Messaging.LocalHost.Security;
using Messaging.Shared.Events;

namespace Messaging.LocalHost.Events;

/// <summary>The operator's parked-event API (the Functions app's ParkedEventFunctions).</summary>
public static class ParkedEventEndpoints
{
    public static IEndpointRouteBuilder MapParkedEventEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(ParkedEventHandlers.Route).WithTags("Operations").RequireApiKey();

        group.MapGet("/", (HttpRequest request, ParkedEventHandlers handlers, CancellationToken cancellationToken) =>
                handlers.ListAsync(request, cancellationToken))
            .WithName("ListParkedEvents")
            .WithSummary("Events out that a receiver did not accept within 24 hours of retries, newest first; no data. ?max=1..1000 (default 100).");

        group.MapPost("/{id}/replay", (string id, ParkedEventHandlers handlers, CancellationToken cancellationToken) =>
                handlers.ReplayAsync(id, cancellationToken))
            .WithName("ReplayParkedEvent")
            .WithSummary("Delivers a parked event again to its subscription, through the outbox with the usual retries, under its original webhook-id.");

        group.MapDelete("/{id}", (string id, ParkedEventHandlers handlers, CancellationToken cancellationToken) =>
                handlers.DiscardAsync(id, cancellationToken))
            .WithName("DiscardParkedEvent")
            .WithSummary("Drops a parked event for good.");

        return app;
    }
}
