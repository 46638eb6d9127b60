using Messaging.LocalHost.Backups;
using Messaging.LocalHost.Events;
using Messaging.LocalHost.Retention;
using Messaging.LocalHost.Security;
using Messaging.LocalHost.Workflows;
using Messaging.Shared.Campaigns;
using Messaging.Shared.Configuration;
using Messaging.Shared.Consent;
using Messaging.Shared.Conversations;
using Messaging.Shared.Http;
using Messaging.Shared.LocalHostOnly.Queues;
using Messaging.Shared.Privacy;
using Messaging.Shared.Retention;
using Messaging.Shared.Consent.Sending;
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
        services.AddPrivacy(builder.Configuration);
        services.AddCampaigns(builder.Configuration);
        services.AddConversations(builder.Configuration);
        services.AddSingleton<TableWorkflowDriver>();
        services.AddSingleton<QueueWakeups>();
        services.AddOptions<ApiKeyOptions>().Bind(builder.Configuration.GetSection(ApiKeyOptions.Section));
        services.AddSingleton<IWebhookQueue, StorageWebhookQueue>();
        services.AddSingleton<IOutboundSendQueue, StorageOutboundSendQueue>();
        services.AddHostedService<StorageInitializer>();
        if (builder.Configuration.GetValue("Processing:Enabled", true))
        {
            services.AddHostedService<InboundQueueWorker>();
            services.AddHostedService<WorkflowQueueWorker>();
            services.AddHostedService<RetentionSweepWorker>();
            services.AddHostedService<RetentionScheduler>();
            services.AddHostedService<BackupWorker>();
            services.AddHostedService<BackupScheduler>();
            services.AddHostedService<EventDeliveryWorker>();
            services.AddHostedService<OutboundSendWorker>();
        }

        services.AddOpenApi();
        services.AddHttpLayer();
        // Kestrel's cap sits above the webhook's own, so the 413 a client sees is the one the shared reader gives on
        // both hosts (the Functions host's own cap is far higher); Kestrel only stops the absurd.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 2L * WebhookBodyReader.MaxBodyBytes);
        return builder;
    }
}
