namespace Messaging.Shared.Workflows;

/// <summary>
/// A workflow as the hosts see it without knowing its types: JSON in, JSON out. LocalHost's table driver and
/// the Durable dispatcher work only through this; <see cref="WorkflowDefinition{TInput,TState,TEffect}"/> is the one
/// implementation.
/// </summary>
public interface IWorkflowDefinition
{
    /// <summary>Short, stable, key-safe name: the instance id prefix ("doi", "erasure", "campaign").</summary>
    string Kind { get; }

    /// <summary>The Durable orchestration function's name in Azure.</summary>
    string OrchestrationName { get; }

    /// <summary>The Durable activity function that runs this workflow's effects in Azure.</summary>
    string EffectActivityName { get; }

    /// <summary>How often and how patiently a failing effect is retried before <c>EffectFailed</c> decides.</summary>
    WorkflowRetry EffectRetry { get; }

    /// <summary>Applies one input (JSON) to a state (JSON; null before the first input).</summary>
    WorkflowStep Apply(string? stateJson, string inputJson);

    string DeadlineInput(DateTimeOffset at);

    /// <summary>The input (JSON) the workflow learns from an effect that failed for good, or null to fail the instance.</summary>
    string? EffectFailedInput(string effectJson, string reason, DateTimeOffset at);

    string EffectId(string effectJson);

    /// <summary>Runs one effect with services from <paramref name="services"/>; returns the follow-up input (JSON), if any.</summary>
    Task<string?> ExecuteEffectAsync(IServiceProvider services, string effectJson, CancellationToken cancellationToken);

    /// <summary>Serialises an input through the input hierarchy's base type, so its discriminator is always written.</summary>
    string SerializeInput(object input);
}
