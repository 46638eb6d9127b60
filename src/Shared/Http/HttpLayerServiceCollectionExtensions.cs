using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Shared.Http;

/// <summary>What the shared handlers' results need from the container, registered the same way by both hosts.</summary>
public static class HttpLayerServiceCollectionExtensions
{
    /// <summary>
    /// Problem details are written through <see cref="Microsoft.AspNetCore.Http.IProblemDetailsService"/> when one is
    /// registered (it adds the traceId an operator quotes); both hosts register it so their problems look alike.
    /// </summary>
    public static IServiceCollection AddHttpLayer(this IServiceCollection services)
    {
        services.AddProblemDetails();
        return services;
    }
}
