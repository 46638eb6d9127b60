using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Messaging.Shared.Workflows;

/// <summary>The kernel's services: the catalog of definitions, the registry and the queued host port.</summary>
public static class WorkflowServiceCollectionExtensions
{
    public static IServiceCollection AddWorkflowKernel(this IServiceCollection services)
    {
        services.TryAddSingleton<WorkflowCatalog>();
        services.TryAddSingleton<WorkflowRegistry>();
        services.TryAddSingleton<IWorkflowHost, QueuedWorkflowHost>();
        return services;
    }

    /// <summary>Registers a workflow: its definition for the hosts and the runner of its effects.</summary>
    public static IServiceCollection AddWorkflow<TInput, TState, TEffect, TEffects>(
        this IServiceCollection services, WorkflowDefinition<TInput, TState, TEffect> definition)
        where TInput : class
        where TState : class
        where TEffect : class
        where TEffects : class, IWorkflowEffects<TEffect, TInput>
    {
        services.AddWorkflowKernel();
        services.AddSingleton<IWorkflowDefinition>(definition);
        services.AddSingleton<IWorkflowEffects<TEffect, TInput>, TEffects>();
        return services;
    }
}
