using Messaging.Shared.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Backups;

public static class BackupServiceCollectionExtensions
{
    /// <summary>Backup settings (ISO 8601 durations and a daily schedule, validated at start-up), the service, its queue handler and HTTP handlers.</summary>
    public static IServiceCollection AddBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackupOptions>()
            .Configure(o =>
            {
                o.Retention = Read(configuration, "Backup:Retention", o.Retention);
                o.KeyRetention = Read(configuration, "Backup:KeyRetention", o.KeyRetention);
                o.Schedule = configuration["Backup:Schedule"] is { Length: > 0 } schedule ? schedule : o.Schedule;
            })
            .Validate(o => o.Retention > TimeSpan.Zero, "Backup:Retention must be a positive ISO 8601 duration.")
            .Validate(o => o.KeyRetention > TimeSpan.Zero && o.KeyRetention <= o.Retention,
                "Backup:KeyRetention must be a positive ISO 8601 duration no longer than Backup:Retention.")
            .Validate(o => RetentionSchedule.TryParse(o.Schedule) is not null,
                "Backup:Schedule is not a daily NCRONTAB schedule such as \"0 0 3 * * *\".")
            .ValidateOnStart();
        services.TryAddSingleton<BackupService>();
        services.TryAddSingleton<BackupOperations>();
        services.TryAddSingleton<BackupHandlers>();
        return services;
    }

    private static TimeSpan Read(IConfiguration configuration, string key, TimeSpan fallback) =>
        configuration[key] is not { } text ? fallback
        : Iso8601Duration.TryParse(text, out var value) ? value
        : throw new OptionsValidationException(key, typeof(BackupOptions), [$"{key} is not an ISO 8601 duration: '{text}'."]);
}
