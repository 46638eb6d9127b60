using Messaging.Shared.Workflows;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Messaging.Functions.Workflows;

/// <summary>How <see cref="DeciderOrchestration"/> runs one owed effect: as the workflow's activity, under its retry policy.</summary>
internal static class DeciderEffects
{
    /// <summary>Runs one effect; returns what the workflow must learn from it (its result, or that it failed for good).</summary>
    public static async Task<(string Id, TInput Input)?> RunAsync<TInput, TState, TEffect>(
        TaskOrchestrationContext context, WorkflowDefinition<TInput, TState, TEffect> definition, TEffect effect, TaskOptions options)
        where TInput : class
        where TState : class
        where TEffect : class
    {
        var effectId = definition.Decider.EffectId(effect);
        try
        {
            var followUp = await context.CallActivityAsync<string?>(definition.EffectActivityName, definition.SerializeEffect(effect), options);
            return followUp is null ? null : (effectId + ":result", definition.DeserializeInput(followUp));
        }
        catch (TaskFailedException)
        {
            // Retries exhausted: the decider says what that means; without an answer the instance fails, visibly.
            var failed = definition.Decider.EffectFailed(effect, "retries-exhausted", DeciderOrchestration.Now(context)) ?? throw new WorkflowEffectFailedException(effectId);
            context.CreateReplaySafeLogger(definition.OrchestrationName).LogWarning("Workflow {InstanceId}: effect {EffectId} failed after every retry", context.InstanceId, effectId);
            return (effectId + ":failed", failed);
        }
    }
}
