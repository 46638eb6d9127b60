namespace Messaging.Shared.Workflows;

/// <summary>
/// A workflow as pure functions over closed hierarchies: the inputs that happen to it, the state it is in, and the
/// effects it owes the outside world. No I/O, clock or randomness: time arrives inside the inputs and every effect
/// carries a deterministic id, so any host that delivers at least once can run it (LocalHost's table driver, Azure's
/// Durable orchestrator).
/// </summary>
/// <param name="Initial">The state before the first input.</param>
/// <param name="Decide">The effects an input owes in a state; empty for an input that changes nothing (a repeat).</param>
/// <param name="Evolve">The state after an input.</param>
/// <param name="IsTerminal">A terminal state takes no more inputs; the host finishes the instance.</param>
/// <param name="Deadline">When the host must feed <paramref name="DeadlineReached"/>; null while nothing is due.</param>
/// <param name="DeadlineReached">The input a host feeds when the state's deadline has come, stamped with that time.</param>
/// <param name="EffectId">The effect's deterministic id (the same on every replay and redelivery).</param>
/// <param name="EffectFailed">
/// What the workflow learns when an effect still fails after the host's retries (reason code, time); null fails the
/// instance so an operator sees it.
/// </param>
public sealed record Decider<TInput, TState, TEffect>(
    TState Initial,
    Func<TState, TInput, IReadOnlyList<TEffect>> Decide,
    Func<TState, TInput, TState> Evolve,
    Func<TState, bool> IsTerminal,
    Func<TState, DateTimeOffset?> Deadline,
    Func<DateTimeOffset, TInput> DeadlineReached,
    Func<TEffect, string> EffectId,
    Func<TEffect, string, DateTimeOffset, TInput?> EffectFailed)
    where TInput : class
    where TState : class
    where TEffect : class
{
    /// <summary>Decide and evolve in one go, the way every host applies an input.</summary>
    public (TState State, IReadOnlyList<TEffect> Effects) Apply(TState state, TInput input) =>
        IsTerminal(state) ? (state, []) : (Evolve(state, input), Decide(state, input));
}
