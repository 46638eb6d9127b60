using Messaging.Shared.Events;
using Messaging.Shared.Privacy.Erasure;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Shared.Conversations;

/// <summary>Conversations (the agents' API and inbox data) and events out, which follow the same changes.</summary>
public static class ConversationsServiceCollectionExtensions
{
    public static IServiceCollection AddConversations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEventsOut(configuration);
        services.AddOptions<ConversationOptions>().Bind(configuration.GetSection(ConversationOptions.Section));
        services.AddHttpClient(MediaProxy.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(60));
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<MessageThread>();
        services.AddSingleton<MediaProxy>();
        services.AddSingleton<IInboundObserver, ConversationObserver>();
        services.AddSingleton<IErasureObserver, ConversationErasureObserver>();
        services.AddSingleton<ConversationHandlers>();
        services.AddSingleton<InboxPageHandlers>();
        return services;
    }
}
