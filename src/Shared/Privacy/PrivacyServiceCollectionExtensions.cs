using Messaging.Shared.Privacy.Audit;
using Messaging.Shared.Privacy.Erasure;
using Messaging.Shared.Privacy.Keywords;
using Messaging.Shared.Privacy.Requests;
using Messaging.Shared.Webhooks;
using Messaging.Shared.Retention;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Messaging.Shared.Privacy;

/// <summary>Data-subject rights: erasure on the workflow kernel, the suppression list and the audit chain.</summary>
public static class PrivacyServiceCollectionExtensions
{
    /// <summary>Needs the core and consent (ledger, outbound) registered; each host adds the consumer of the workflow queue.</summary>
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DataSubjectOptions>().Bind(configuration.GetSection(DataSubjectOptions.Section));
        services.TryAddSingleton<AuditLog>();
        services.AddSingleton<AuditHandlers>();
        services.AddSingleton<ContactDataEraser>();
        services.AddSingleton<ErasureService>();
        services.AddSingleton<DataSubjectRequestStore>();
        services.TryAddSingleton<RetentionIndex>();
        services.AddSingleton<DataSubjectExports>();
        services.AddSingleton<DataSubjectRequests>();
        services.AddSingleton<DataSubjectRequestHandlers>();
        services.AddSingleton<IErasureObserver, DataSubjectRequestCloser>();
        services.AddOptions<DataSubjectKeywordOptions>().Bind(configuration.GetSection(DataSubjectKeywordOptions.Section));
        services.AddSingleton<IInboundObserver, DataSubjectInboundObserver>();
        services.AddSingleton<Retention.IInactiveContactEraser, RetentionErasure>();
        services.AddWorkflow<ErasureInput, ErasureState, ErasureEffect, ErasureEffects>(ErasureWorkflow.Definition);
        return services;
    }
}
