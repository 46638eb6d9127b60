using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Events;

/// <summary>Events out: the outbox, its dispatcher and the handler of the events-out queue.</summary>
public static class EventsServiceCollectionExtensions
{
    public static IServiceCollection AddEventsOut(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventsOptions>()
            .Bind(configuration.GetSection(EventsOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EventsOptions>, EventsOptionsValidator>();
        services.AddHttpClient(EventDispatcher.HttpClientName);
        services.AddSingleton<EventHeads>();
        services.AddSingleton<EventOutbox>();
        services.AddSingleton<EventDispatcher>();
        services.AddSingleton<EventDeliveryOperations>();
        services.AddSingleton<ParkedEventStore>();
        services.AddSingleton<ParkedEventHandlers>();
        return services;
    }

    private sealed class EventsOptionsValidator : IValidateOptions<EventsOptions>
    {
        public ValidateOptionsResult Validate(string? name, EventsOptions options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
