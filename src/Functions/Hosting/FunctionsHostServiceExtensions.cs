using Messaging.Shared.Campaigns;
using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Messaging.Functions.Campaigns;
using Messaging.Functions.Outbound;
using Messaging.Shared.Campaigns.Sending;
using Messaging.Functions.Webhooks;
using Messaging.Functions.Workflows;
using Messaging.Shared.Configuration;
using Messaging.Shared.Consent;
using Messaging.Shared.Conversations;
using Messaging.Shared.Http;
using Messaging.Shared.Privacy;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Webhooks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messaging.Functions.Hosting;

/// <summary>The Functions app's composition: the shared core, Service Bus for the inbound queue, telemetry.</summary>
public static class FunctionsHostServiceExtensions
{
    /// <summary>App setting prefix of the identity-based Service Bus connection the triggers also use.</summary>
    public const string ServiceBusConnection = "ServiceBusConnection";

    private const string ApplicationInsightsProvider = "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    public static IServiceCollection AddFunctionsHost(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApplicationInsightsTelemetryWorkerService();
        services.ConfigureFunctionsApplicationInsights();
        // The worker's Application Insights provider keeps only warnings unless its default rule is removed.
        services.Configure<LoggerFilterOptions>(o =>
        {
            foreach (var rule in o.Rules.Where(r => r.ProviderName == ApplicationInsightsProvider).ToList())
            {
                o.Rules.Remove(rule);
            }
        });

        services.AddMessagingCore(configuration);
        services.AddConsent(configuration);
        services.AddHttpLayer();
        services.AddPrivacy(configuration);
        services.AddCampaigns(configuration);
        services.AddConversations(configuration);
        services.AddSingleton<DurableWorkflowDispatcher>();
        // Storage uses the app's user-assigned identity too (Bicep sets AZURE_CLIENT_ID, not a Storage-specific id).
        services.PostConfigure<StorageOptions>(o => o.ManagedIdentityClientId ??= configuration["AZURE_CLIENT_ID"]);

        // Secrets (Meta__*, Security__*) arrive as Key Vault references that the platform resolves with the same
        // identity, so no secret client is needed here.
        services.AddSingleton<TokenCredential>(new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = configuration["AZURE_CLIENT_ID"],
        }));
        services.AddSingleton(sp => new ServiceBusClient(
            configuration[$"{ServiceBusConnection}:fullyQualifiedNamespace"]
                ?? throw new InvalidOperationException($"{ServiceBusConnection}__fullyQualifiedNamespace is not set."),
            sp.GetRequiredService<TokenCredential>()));
        services.AddSingleton<IWebhookQueue, ServiceBusWebhookQueue>();
        services.AddSingleton<IOutboundSendQueue, ServiceBusOutboundSendQueue>();
        // Instances are many: campaign pages send through the campaign-sends session queue, paced by its one consumer.
        services.AddSingleton<ICampaignSendQueue, ServiceBusCampaignSendQueue>();
        services.AddSingleton<ICampaignSendLane, QueuedCampaignSendLane>();
        return services;
    }
}
