using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Consent.OptInPage;

/// <summary>Registers the opt-in page's core: the one-time code store and the settings it shows.</summary>
public static class OptInPageServiceCollectionExtensions
{
    public static IServiceCollection AddOptInPage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Other consent features bind the same section; binding it twice would run every configure step twice.
        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<ConsentOptions>)))
        {
            services.AddOptions<ConsentOptions>().Bind(configuration.GetSection(ConsentOptions.Section)).ValidateDataAnnotations();
        }

        services.AddOptions<OptInPageOptions>().Bind(configuration.GetSection(OptInPageOptions.Section)).ValidateDataAnnotations();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OptInTokenStore>();
        services.TryAddSingleton<OptInPageHandlers>();
        return services;
    }
}
