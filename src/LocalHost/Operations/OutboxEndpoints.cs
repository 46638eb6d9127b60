using Messaging.LocalHost.Security;
using Messaging.Shared.Outbound;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.LocalHost.Operations;

/// <summary>For the operator: sends whose outcome is unknown (the sender died while Meta may have taken the message).</summary>
public static class OutboxEndpoints
{
    public static IEndpointRouteBuilder MapOutboxEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operations/outbox").WithTags("Operations").AddEndpointFilter<ApiKeyFilter>();

        group.MapGet("/unknown", ListUnknownAsync)
            .WithName("ListUnknownSends")
            .WithSummary("Sends that may or may not have reached Meta; never resent automatically. Rows a status webhook has since confirmed are resolved to Sent and not listed.");

        return app;
    }

    internal static async Task<Ok<IReadOnlyList<UnknownSend>>> ListUnknownAsync(OutboundMessenger messenger, CancellationToken cancellationToken, int max = 100) =>
        TypedResults.Ok(await messenger.ListUnknownAsync(Math.Clamp(max, 1, 1000), cancellationToken));
}
