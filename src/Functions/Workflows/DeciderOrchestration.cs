using Messaging.Shared.Workflows;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Messaging.Functions.Workflows;

/// <summary>
/// The one Durable orchestrator shape for every decider: apply the inputs at hand, run the effects they owe as
/// activities (with the definition's retry policy), arm a durable timer for the state's deadline, wait for the next
/// signal or the timer, repeat until terminal; after <see cref="TurnsPerRun"/> waits the instance continues as new
/// with its state, so its history stays small. Deterministic for replay: time only from the context, no I/O, inputs
/// and effects as the definition's JSON, logging through the replay-safe logger.
/// </summary>
public static class DeciderOrchestration
{
    /// <summary>The external event that carries a <see cref="WorkflowRequest"/> of op "signal" as JSON.</summary>
    public const string SignalEvent = "workflow-signal";

    public const int TurnsPerRun = 100;

    private const int AppliedInputsKept = 200;

    /// <param name="context">Its input is a <see cref="WorkflowRun"/> as JSON.</param>
    /// <returns>The terminal state as JSON (contact keys and references only, like every input).</returns>
    public static async Task<string> RunAsync<TInput, TState, TEffect>(
        TaskOrchestrationContext context, WorkflowDefinition<TInput, TState, TEffect> definition)
        where TInput : class
        where TState : class
        where TEffect : class
    {
        var decider = definition.Decider;
        var logger = context.CreateReplaySafeLogger(definition.OrchestrationName);
        var run = WorkflowRun.FromJson(context.GetInput<string>() ?? throw new InvalidOperationException("No workflow run."));
        var retry = definition.EffectRetry;
        var options = TaskOptions.FromRetryPolicy(new RetryPolicy(retry.MaxAttempts, retry.FirstInterval, retry.BackoffCoefficient, retry.MaxInterval));

        var state = run.State is null ? decider.Initial : definition.DeserializeState(run.State);
        var applied = new List<string>(run.Applied);
        var inputs = new Queue<(string Id, TInput Input)>();
        if (run.State is null)
        {
            inputs.Enqueue((QueuedWorkflowHost.StartInputId, definition.DeserializeInput(WorkflowRequest.FromJson(run.Start).Input!)));
        }

        // One wait for signals lives across turns: a wait abandoned after the timer won would swallow the next event
        // in the isolated worker (durable extension issue 3255), so it is only replaced once it has completed.
        Task<string>? signal = null;
        Task? timer = null;
        DateTimeOffset? timerFor = null;
        using var timerCancellation = new CancellationTokenSource();
        for (var turn = 1; turn <= TurnsPerRun; turn++)
        {
            while (inputs.TryDequeue(out var next))
            {
                if (applied.Contains(next.Id))
                {
                    continue;
                }

                applied.Add(next.Id);
                (state, var effects) = decider.Apply(state, next.Input);
                foreach (var effect in effects)
                {
                    if (await DeciderEffects.RunAsync(context, definition, effect, options) is { } followUp)
                    {
                        inputs.Enqueue(followUp);
                    }
                }
            }

            if (decider.IsTerminal(state))
            {
                // A timer that neither fired nor was cancelled would keep the instance Running until it fires.
                timerCancellation.Cancel();
                logger.LogInformation("Workflow {InstanceId} finished as {State}", context.InstanceId, state.GetType().Name);
                return definition.SerializeState(state);
            }

            if (turn == TurnsPerRun)
            {
                break;
            }

            var deadline = decider.Deadline(state);
            if (deadline != timerFor)
            {
                timerFor = deadline;
                timer = deadline is { } due ? context.CreateTimer(due.UtcDateTime, timerCancellation.Token) : null;
            }

            signal ??= context.WaitForExternalEvent<string>(SignalEvent);
            if (timer is null || await Task.WhenAny(signal, timer) == signal)
            {
                var request = WorkflowRequest.FromJson(await signal);
                signal = null;
                inputs.Enqueue((request.InputId!, definition.DeserializeInput(request.Input!)));
            }
            else
            {
                timer = null;
                timerFor = null;
                inputs.Enqueue(("timer:" + Now(context).ToUnixTimeSeconds(), decider.DeadlineReached(Now(context))));
            }
        }

        // The next run re-arms the deadline's timer; events that arrive meanwhile are kept for it.
        timerCancellation.Cancel();
        var carried = new WorkflowRun(run.Start, definition.SerializeState(state), applied.TakeLast(AppliedInputsKept).ToList());
        context.ContinueAsNew(carried.ToJson(), preserveUnprocessedEvents: true);
        return carried.State!;
    }

    internal static DateTimeOffset Now(TaskOrchestrationContext context) =>
        new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));
}
