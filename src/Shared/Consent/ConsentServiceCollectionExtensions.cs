using Messaging.Shared.Consent.Api;
using Messaging.Shared.Consent.Keywords;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.OptIn;
using Messaging.Shared.Consent.OptInPage;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Outbound;
using Messaging.Shared.Privacy.Audit;
using Messaging.Shared.Webhooks;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Messaging.Shared.Consent;

/// <summary>Consent, the consent gate in front of outbound messages, and the double opt-in's command side.</summary>
public static class ConsentServiceCollectionExtensions
{
    /// <summary>
    /// The double opt-in runs on the workflow kernel; each host adds the consumer of the workflow queue and an
    /// <see cref="IOutboundSendQueue"/> (Storage Queue or Service Bus).
    /// </summary>
    public static IServiceCollection AddConsent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOutboundMessaging(configuration);
        services.AddOptions<ConsentOptions>().Bind(configuration.GetSection(ConsentOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DoubleOptInOptions>().Bind(configuration.GetSection(DoubleOptInOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptInPage(configuration);
        services.AddOptions<ConsentKeywordOptions>().Bind(configuration.GetSection(ConsentKeywordOptions.Section));
        services.TryAddSingleton<AuditLog>();
        services.AddSingleton<Segments.ConsentSegmentIndex>();
        services.AddSingleton<ConsentLedger>();
        services.AddSingleton<ConsentGuardedSender>();
        services.AddWorkflow<DoubleOptInInput, DoubleOptInState, DoubleOptInCommand, DoubleOptInCommandExecutor>(DoubleOptInWorkflow.Definition);
        services.AddSingleton<IDoubleOptInWorkflows, DoubleOptInWorkflows>();
        services.AddSingleton<OutboundSendHandler>();
        services.AddSingleton<IInboundObserver, ConsentInboundObserver>();
        services.AddSingleton<ConsentManagement>();
        services.AddSingleton<ConsentApiHandlers>();
        return services;
    }
}
