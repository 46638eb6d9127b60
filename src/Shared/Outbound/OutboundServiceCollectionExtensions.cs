using Messaging.Shared.Configuration;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Messaging.Shared.Outbound;

public static class OutboundServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Cloud API client, the throughput limiter, the outbox and the messenger. Shared infrastructure
    /// (storage clients, hasher, master key, clock) is added only if no other feature has registered it;
    /// <see cref="Contacts.IContactDirectory"/> must come from the contacts feature.
    /// </summary>
    public static IServiceCollection AddOutboundMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MetaOptions>().Bind(configuration.GetSection(MetaOptions.Section));
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section));
        services.AddOptions<OutboundOptions>()
            .Bind(configuration.GetSection(OutboundOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.AttemptTimeout > TimeSpan.Zero && o.TotalTimeout >= o.AttemptTimeout, "Outbound: AttemptTimeout must be positive and not exceed TotalTimeout.")
            .Validate(o => o.AttemptingStaleAfter >= 4 * o.TotalTimeout, "Outbound: AttemptingStaleAfter must be well above TotalTimeout, or live senders would be declared dead.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageClients>();
        services.TryAddSingleton<KeyedHasher>();
        services.TryAddSingleton<MasterKey>();
        services.TryAddSingleton<ThroughputLimiter>();
        services.TryAddSingleton<OutboxStore>();
        services.TryAddTransient<OutboundMessenger>();
        services.TryAddSingleton<Operations.OutboxHandlers>();

        services.AddHttpClient<CloudApiClient>((sp, client) =>
            {
                // The resilience pipeline owns timing; this outer limit only catches a pipeline that never returns.
                client.Timeout = sp.GetRequiredService<IOptions<OutboundOptions>>().Value.TotalTimeout + TimeSpan.FromSeconds(5);
            })
            .AddResilienceHandler("cloud-api-send", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<OutboundOptions>>().Value;
                // Not AddStandardResilienceHandler: its retry repeats any 5xx, 408 or timeout, which for a POST that
                // Meta may already have accepted means a duplicate message. Its circuit breaker would also turn a
                // burst of 131047/132xxx (our fault, per recipient) into an outage for every recipient.
                pipeline.AddTimeout(o.TotalTimeout);
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(1, o.MaxRetryAttempts),
                    Delay = o.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => o.MaxRetryAttempts == 0 ? ValueTask.FromResult(false) : CloudApiRetryPolicy.ShouldRetryAsync(args.Outcome),
                });
                pipeline.AddTimeout(o.AttemptTimeout);
            });

        return services;
    }
}
