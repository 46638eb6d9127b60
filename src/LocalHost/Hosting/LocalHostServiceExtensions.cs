using Messaging.LocalHost.Security;
using Messaging.LocalHost.Workflows;
using Messaging.Shared.Configuration;
using Messaging.Shared.Consent;
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
        services.AddSingleton<TableWorkflowDriver>();
        services.AddOptions<ApiKeyOptions>().Bind(builder.Configuration.GetSection(ApiKeyOptions.Section));
        services.AddSingleton<IWebhookQueue, StorageWebhookQueue>();
        services.AddHostedService<StorageInitializer>();
        if (builder.Configuration.GetValue("Processing:Enabled", true))
        {
            services.AddHostedService<InboundQueueWorker>();
            services.AddHostedService<WorkflowQueueWorker>();
        }

        services.AddOpenApi();
        services.AddHttpLayer();
        // A little above the webhook handler's own limit (it reads at most one 16 KiB chunk past it), so that handler,
        // the only guard in Azure, is the one that refuses an oversized webhook on both hosts, with the same problem.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = WebhookBodyReader.MaxBodyBytes + (64 * 1024));
        return builder;
    }
}
