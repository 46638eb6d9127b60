using Messaging.LocalHost.Security;
using Messaging.Shared.Configuration;
using Messaging.Shared.Consent;
using Messaging.Shared.Consent.OptIn;
using Messaging.Shared.Http;
using Messaging.Shared.LocalHostOnly.Queues;
using Messaging.Shared.Webhooks;

namespace Messaging.LocalHost.Hosting;

/// <summary>LocalHost's composition: the shared core, Storage Queues in place of Service Bus, background workers.</summary>
public static class LocalHostServiceExtensions
{
    public static WebApplicationBuilder AddLocalHostServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddMessagingCore(builder.Configuration);
        services.AddConsent(builder.Configuration);
        services.AddSingleton<TableDoubleOptInDriver>();
        services.AddSingleton<IDoubleOptInWorkflows>(sp => sp.GetRequiredService<TableDoubleOptInDriver>());
        services.AddOptions<ApiKeyOptions>().Bind(builder.Configuration.GetSection(ApiKeyOptions.Section));
        services.AddSingleton<IWebhookQueue, StorageWebhookQueue>();
        services.AddHostedService<StorageInitializer>();
        if (builder.Configuration.GetValue("Processing:Enabled", true))
        {
            services.AddHostedService<InboundQueueWorker>();
            services.AddHostedService<DoubleOptInWorker>();
        }

        services.AddOpenApi();
        services.AddHttpLayer();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = WebhookBodyReader.MaxBodyBytes);
        return builder;
    }
}
