using Messaging.Shared.Privacy.Audit;
using Messaging.Shared.Retention.Api;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>Retention settings (validated at start-up), the index every store writes, and the sweep.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new RetentionOptionsSetup(configuration));
        services.AddSingleton<IConfigureOptions<RetentionOptions>>(sp => sp.GetRequiredService<RetentionOptionsSetup>());
        services.AddSingleton<IValidateOptions<RetentionOptions>>(sp => sp.GetRequiredService<RetentionOptionsSetup>());
        services.AddOptions<RetentionOptions>().ValidateOnStart();
        services.TryAddSingleton<RetentionIndex>();
        services.TryAddSingleton<ContactActivity>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<ISweepAudit, AuditLogSweepAudit>();
        services.TryAddSingleton<RetentionSweepStore>();
        services.TryAddSingleton<RetentionSweeper>();
        services.TryAddSingleton<RetentionSweepOperations>();
        services.TryAddSingleton<RetentionSweepHandlers>();
        return services;
    }
}
