using Messaging.Shared.Consent.OptIn;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using static Messaging.Shared.Consent.OptIn.DoubleOptInCommand;

namespace Messaging.Functions.Consent;

/// <summary>
/// Drives the <see cref="DoubleOptIn"/> decider: feed an input, run its commands (effects as activities with
/// retries, the deadline as a durable timer), wait for the next signal or the deadline, repeat until terminal.
/// Deterministic for replay: time only from <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>, no I/O.
/// Instance id <c>doi-{requestId}</c>; the input holds contact keys only; PurgeDurableHistory removes it later.
/// </summary>
public static class DoubleOptInOrchestration
{
    public const string Name = "DoubleOptIn";

    /// <summary>External event that carries a <see cref="DoubleOptInSignal"/> (raised by the inbound processing).</summary>
    public const string SignalEvent = "doi-signal";

    public const string SendConfirmationActivity = "DoubleOptInSendConfirmation";
    public const string AppendConsentEventActivity = "DoubleOptInAppendConsentEvent";

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2.0, maxRetryInterval: TimeSpan.FromMinutes(5)));

    [Function(Name)]
    public static async Task<DoubleOptInOutcome?> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, DoubleOptInStart start)
    {
        var state = DoubleOptIn.Initial;
        var inputs = new Queue<DoubleOptInInput>([start.ToInput()]);
        DoubleOptInOutcome? outcome = null;
        DateTimeOffset? deadline = null;
        using var timerCancellation = new CancellationTokenSource();
        // One wait for the signal lives across turns: a wait abandoned after the timer won would swallow the next
        // event in the isolated worker (durable extension issue 3255), so it is only replaced once it completed.
        Task<DoubleOptInSignal>? signal = null;
        Task? timer = null;
        while (true)
        {
            while (inputs.TryDequeue(out var input))
            {
                var commands = DoubleOptIn.Decide(state, input);
                state = DoubleOptIn.Evolve(state, input);
                foreach (var command in commands)
                {
                    switch (command)
                    {
                        case SendConfirmationTemplate or AppendConsentEvent:
                            if (await RunAsync(context, command) is { } feedback)
                            {
                                inputs.Enqueue(feedback);
                            }

                            break;
                        case ScheduleDeadline schedule:
                            deadline = schedule.DueAt;
                            break;
                        case CancelDeadline:
                            timerCancellation.Cancel();
                            break;
                        case Complete complete:
                            outcome = complete.Outcome;
                            break;
                    }
                }
            }

            if (DoubleOptIn.IsTerminal(state) || deadline is null)
            {
                // A timer that neither fired nor was cancelled would keep the instance Running until it fires.
                timerCancellation.Cancel();
                return outcome;
            }

            signal ??= context.WaitForExternalEvent<DoubleOptInSignal>(SignalEvent);
            timer ??= context.CreateTimer(deadline.Value.UtcDateTime, timerCancellation.Token);
            if (await Task.WhenAny(signal, timer) == signal)
            {
                inputs.Enqueue((await signal).ToInput());
                signal = null;
            }
            else
            {
                inputs.Enqueue(new DoubleOptInInput.DeadlineReached(Now(context)));
                timer = null;
            }
        }
    }

    /// <summary>
    /// Runs an effect as an activity and returns what the decider must learn from it. A send that still fails after
    /// the retries closes the request (ConfirmationFailed); a ledger append that does fails the instance, so the
    /// operator sees it (the ledger keeps the request pending until then).
    /// </summary>
    private static async Task<DoubleOptInInput?> RunAsync(TaskOrchestrationContext context, DoubleOptInCommand command)
    {
        var send = command is SendConfirmationTemplate;
        try
        {
            var result = await context.CallActivityAsync<DoubleOptInCommandResult>(
                send ? SendConfirmationActivity : AppendConsentEventActivity, DoubleOptInCommandCodec.Serialize(command), Retry);
            return result.ToInput(Now(context));
        }
        catch (TaskFailedException) when (send)
        {
            return new DoubleOptInInput.ConfirmationFailed("send-retries-exhausted", Now(context));
        }
    }

    private static DateTimeOffset Now(TaskOrchestrationContext context) =>
        new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));
}
