using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Shared.Workflows;

/// <summary>
/// Binds a <see cref="Decider{TInput,TState,TEffect}"/> to what hosts need around it: a kind, the Durable function
/// names, the JSON form of its hierarchies (their <c>[JsonPolymorphic]</c> attributes give the discriminators), the
/// effect runner it resolves from DI, and the retry schedule of its effects.
/// </summary>
public sealed record WorkflowDefinition<TInput, TState, TEffect>(
    string Kind,
    string OrchestrationName,
    Decider<TInput, TState, TEffect> Decider,
    JsonSerializerOptions Json,
    WorkflowRetry EffectRetry) : IWorkflowDefinition
    where TInput : class
    where TState : class
    where TEffect : class
{
    public string EffectActivityName => OrchestrationName + "Effect";

    public WorkflowStep Apply(string? stateJson, string inputJson)
    {
        var state = stateJson is null ? Decider.Initial : DeserializeState(stateJson);
        var (next, effects) = Decider.Apply(state, DeserializeInput(inputJson));
        return Step(next, effects);
    }

    public WorkflowStep Step(TState state, IReadOnlyList<TEffect> effects) => new(
        SerializeState(state),
        state.GetType().Name,
        effects.Select(SerializeEffect).ToList(),
        Decider.IsTerminal(state),
        Decider.Deadline(state));

    public string DeadlineInput(DateTimeOffset at) => SerializeInput(Decider.DeadlineReached(at));

    public string? EffectFailedInput(string effectJson, string reason, DateTimeOffset at) =>
        Decider.EffectFailed(DeserializeEffect(effectJson), reason, at) is { } input ? SerializeInput(input) : null;

    public string EffectId(string effectJson) => Decider.EffectId(DeserializeEffect(effectJson));

    public async Task<string?> ExecuteEffectAsync(IServiceProvider services, string effectJson, CancellationToken cancellationToken)
    {
        var runner = services.GetRequiredService<IWorkflowEffects<TEffect, TInput>>();
        var followUp = await runner.ExecuteAsync(DeserializeEffect(effectJson), cancellationToken);
        return followUp is null ? null : SerializeInput(followUp);
    }

    public string SerializeInput(object input) => JsonSerializer.Serialize((TInput)input, Json);

    public TInput DeserializeInput(string json) => JsonSerializer.Deserialize<TInput>(json, Json) ?? throw Empty(nameof(TInput));

    public string SerializeState(TState state) => JsonSerializer.Serialize(state, Json);

    public TState DeserializeState(string json) => JsonSerializer.Deserialize<TState>(json, Json) ?? throw Empty(nameof(TState));

    public string SerializeEffect(TEffect effect) => JsonSerializer.Serialize(effect, Json);

    public TEffect DeserializeEffect(string json) => JsonSerializer.Deserialize<TEffect>(json, Json) ?? throw Empty(nameof(TEffect));

    private JsonException Empty(string what) => new($"Workflow '{Kind}': empty {what}.");
}
