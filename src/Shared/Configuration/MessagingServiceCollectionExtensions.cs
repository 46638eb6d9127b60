using Messaging.Shared.Backups;
using Messaging.Shared.Contacts;
using Messaging.Shared.Health;
using Messaging.Shared.Inbox;
using Messaging.Shared.Messages;
using Messaging.Shared.Operations;
using Messaging.Shared.Retention;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Configuration;

/// <summary>The core every host registers the same way: LocalHost and the Functions app call this.</summary>
public static class MessagingServiceCollectionExtensions
{
    public static IServiceCollection AddMessagingCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetaOptions>().Bind(configuration.GetSection(MetaOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddOptions<IngressOptions>().Bind(configuration.GetSection(IngressOptions.Section));
        services.AddOptions<ProcessingOptions>().Bind(configuration.GetSection(ProcessingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StorageClients>();
        services.AddRetention(configuration);
        services.AddBackups(configuration);
        services.AddOptions<Compliance.ControllerOptions>().Bind(configuration.GetSection(Compliance.ControllerOptions.Section));
        services.AddSingleton<Compliance.RecordsOfProcessingBuilder>();
        services.AddSingleton<Compliance.ComplianceHandlers>();
        services.AddSingleton<KeyedHasher>();
        services.AddSingleton<MasterKey>();
        services.AddSingleton(sp => new WebhookSignature(sp.GetRequiredService<IOptions<MetaOptions>>().Value.AppSecret));
        // Inbox rows are no longer written (an event's own row de-duplicates it); erasure still removes older ones.
        services.AddSingleton<InboxGuard>();
        services.AddSingleton<ContactKeyring>();
        services.AddSingleton<Privacy.ContactTombstones>();
        services.AddSingleton<ContactDirectory>();
        services.AddSingleton<IContactDirectory>(sp => sp.GetRequiredService<ContactDirectory>());
        services.AddSingleton<MessageStore>();
        services.AddSingleton<Outbound.ISendEvidence>(sp => sp.GetRequiredService<MessageStore>());
        services.AddSingleton<WebhookCopyIndex>();
        services.AddSingleton<WebhookBodyStore>();
        services.AddSingleton<ParkedWebhookStore>();
        services.AddSingleton<UnhandledEventStore>();
        services.AddSingleton<Templates.TemplateStore>();
        services.AddSingleton<InboundWebhookProcessor>();
        services.AddSingleton<QueuedWebhookHandler>();
        services.AddSingleton<WebhookIngress>();

        // The HTTP handlers both hosts call (see src/Shared/Http/README.md).
        services.AddSingleton<WebhookHandlers>();
        services.AddSingleton<HealthHandlers>();
        services.AddSingleton<ParkedWebhookHandlers>();
        return services;
    }
}
