using Messaging.LocalHost.Security;
using Messaging.Shared.Configuration;
using Messaging.Shared.Consent.OptInPage;
using Messaging.Shared.Webhooks;

namespace Messaging.LocalHost.Hosting;

/// <summary>LocalHost's composition: the shared core, Storage Queues in place of Service Bus, background workers.</summary>
public static class LocalHostServiceExtensions
{
    public static WebApplicationBuilder AddLocalHostServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddMessagingCore(builder.Configuration);
        services.AddOptions<ApiKeyOptions>().Bind(builder.Configuration.GetSection(ApiKeyOptions.Section));
        services.AddSingleton<IWebhookQueue, StorageWebhookQueue>();
        services.AddHostedService<StorageInitializer>();
        services.AddOptInPage(builder.Configuration).AddAntiforgery();
        if (builder.Configuration.GetValue("Processing:Enabled", true))
        {
            services.AddHostedService<InboundQueueWorker>();
        }

        services.AddOpenApi();
        services.AddProblemDetails();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = WebhookBodyReader.MaxBodyBytes);
        return builder;
    }
}
