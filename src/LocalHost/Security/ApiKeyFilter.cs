using Messaging.Shared.Security;
using Microsoft.Extensions.Options;

namespace Messaging.LocalHost.Security;

/// <summary>
/// Requires <c>x-functions-key</c> to equal <c>Api:Key</c>, compared in constant time, as Function keys are in
/// Azure: missing → 401, wrong → 403. With no key configured every call is refused (fail closed).
/// </summary>
public sealed class ApiKeyFilter(IOptions<ApiKeyOptions> options) : IEndpointFilter
{
    public const string Header = "x-functions-key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(presented))
        {
            return TypedResults.Problem("The x-functions-key header is required.", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!SecretComparison.Matches(presented, options.Value.Key))
        {
            return TypedResults.Problem("The API key is not valid.", statusCode: StatusCodes.Status403Forbidden);
        }

        return await next(context);
    }
}
