using System.Globalization;
using Messaging.Shared.Outbound;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Operations;

/// <summary>For the operator, on both hosts: sends whose outcome is unknown (the sender died while Meta may have taken the message).</summary>
public sealed class OutboxHandlers(OutboundMessenger messenger)
{
    /// <summary><c>?max=</c> 1 to 1000 (default 100). Such sends are never resent automatically (see README).</summary>
    public async Task<Results<Ok<IReadOnlyList<UnknownSend>>, ValidationProblem>> ListUnknownAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var max = ParkedWebhookHandlers.DefaultMax;
        if (request.Query.TryGetValue("max", out var requested)
            && !(int.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out max) && max is >= 1 and <= ParkedWebhookHandlers.LargestMax))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["max"] = [$"A whole number from 1 to {ParkedWebhookHandlers.LargestMax}."] });
        }

        return TypedResults.Ok(await messenger.ListUnknownAsync(max, cancellationToken));
    }
}
