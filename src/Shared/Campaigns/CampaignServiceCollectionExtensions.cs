using Messaging.Shared.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Messaging.Shared.Templates;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Campaigns;

/// <summary>Template campaigns on the workflow kernel. Needs the core and consent (gate, ledger, outbox) registered.</summary>
public static class CampaignServiceCollectionExtensions
{
    public static IServiceCollection AddCampaigns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CampaignOptions>().Bind(configuration.GetSection(CampaignOptions.Section));
        services.AddSingleton<CampaignRecipientStore>();
        services.AddSingleton<CampaignStore>();
        services.AddSingleton<Statistics.CampaignStatistics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInboundObserver, Statistics.CampaignStatusObserver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITemplateObserver, CampaignTemplateObserver>());
        services.AddHttpClient<Templates.MessageTemplateCatalog>();
        services.AddSingleton<Audience.CampaignAudienceSnapshot>();
        services.AddSingleton<Audience.AudienceImport>();
        services.AddSingleton<Api.CampaignOperations>();
        services.AddSingleton<Api.CampaignHandlers>();
        services.AddSingleton<Console.CampaignConsoleHandlers>();
        services.AddSingleton<Sending.CampaignRecipientSender>();
        services.AddSingleton<Sending.CampaignSendHandler>();
        services.AddSingleton<Sending.InProcessCampaignSendLane>();
        // One process paces the whole number; the Functions host replaces this with the queued lane.
        services.TryAddSingleton<Sending.ICampaignSendLane>(sp => sp.GetRequiredService<Sending.InProcessCampaignSendLane>());
        services.AddWorkflow<CampaignInput, CampaignState, CampaignEffect, CampaignPageSender>(CampaignWorkflow.Definition);
        return services;
    }
}
