using Messaging.Shared.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Backups;

public static class BackupServiceCollectionExtensions
{
    /// <summary>Backup settings (ISO 8601 durations, validated at start-up), the backup service and its HTTP handlers.</summary>
    public static IServiceCollection AddBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackupOptions>()
            .Configure(o =>
            {
                o.Retention = Read(configuration, "Backup:Retention", o.Retention);
                o.KeyRetention = Read(configuration, "Backup:KeyRetention", o.KeyRetention);
            })
            .Validate(o => o.Retention > TimeSpan.Zero, "Backup:Retention must be a positive ISO 8601 duration.")
            .Validate(o => o.KeyRetention > TimeSpan.Zero && o.KeyRetention <= o.Retention,
                "Backup:KeyRetention must be a positive ISO 8601 duration no longer than Backup:Retention.")
            .ValidateOnStart();
        services.TryAddSingleton<BackupService>();
        services.TryAddSingleton<BackupHandlers>();
        return services;
    }

    private static TimeSpan Read(IConfiguration configuration, string key, TimeSpan fallback) =>
        configuration[key] is not { } text ? fallback
        : Iso8601Duration.TryParse(text, out var value) ? value
        : throw new OptionsValidationException(key, typeof(BackupOptions), [$"{key} is not an ISO 8601 duration: '{text}'."]);
}
