using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Logging;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// LocalHost's driver of the double opt-in decider (Azure uses a Durable orchestrator). State lives in the
/// Workflows table under ETag concurrency; inputs arrive on a Storage Queue; timers are queue messages with a
/// visibility delay. Each step first records the new state together with the commands it owes, then runs those
/// commands and clears them, so a kill between any two steps is repaired by the redelivered message: owed
/// commands run again (they are idempotent) and an input already applied is recognised by its id.
/// </summary>
public sealed class TableDoubleOptInDriver(
    StorageClients storage,
    IDoubleOptInCommandExecutor executor,
    TimeProvider time,
    ILogger<TableDoubleOptInDriver> logger) : IDoubleOptInWorkflows
{
    // Storage Queues hide a message for at most seven days; later deadlines hop.
    private static readonly TimeSpan MaxVisibilityDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5);
    private const int AppliedInputsKept = 200;
    private readonly TableClient _table = storage.Table(StorageNames.WorkflowsTable);
    private readonly QueueClient _queue = storage.Queue(StorageNames.WorkflowEventsQueue);

    public Task StartAsync(DoubleOptInInput.Requested request, CancellationToken cancellationToken) =>
        EnqueueAsync(new DoubleOptInWorkflowMessage(request.ContactKey, request.RequestId, "requested", request, null), TimeSpan.Zero, cancellationToken);

    public Task SignalAsync(string contactKey, string requestId, DoubleOptInSignal signal, CancellationToken cancellationToken) =>
        EnqueueAsync(new DoubleOptInWorkflowMessage(contactKey, requestId, signal.InputId, signal.ToInput(), null), TimeSpan.Zero, cancellationToken);

    public async Task<DoubleOptInState> GetStateAsync(string contactKey, string requestId, CancellationToken cancellationToken)
    {
        var row = await LoadAsync(contactKey, requestId, cancellationToken);
        return row.State;
    }

    /// <summary>Applies one queued input. Returns false when the message must come back later (a timer not yet due).</summary>
    public async Task<(bool Done, TimeSpan RetryAfter)> HandleAsync(DoubleOptInWorkflowMessage message, CancellationToken cancellationToken)
    {
        var row = await RunOwedCommandsAsync(message, await LoadAsync(message.ContactKey, message.RequestId, cancellationToken), cancellationToken);

        if (row.Applied.Contains(message.InputId) || message.Input is null)
        {
            return (true, TimeSpan.Zero);
        }

        var now = time.GetUtcNow();
        var input = message.Input;
        if (message.DueAt is { } due)
        {
            if (due > now)
            {
                return (false, Min(due - now, MaxVisibilityDelay));
            }

            input = new DoubleOptInInput.DeadlineReached(now);
        }

        var commands = DoubleOptIn.Decide(row.State, input);
        var next = DoubleOptIn.Evolve(row.State, input);
        var applied = row.Applied.Append(message.InputId).TakeLast(AppliedInputsKept).ToList();
        row = await SaveAsync(message, row with { State = next, Applied = applied, Pending = commands.ToList() }, cancellationToken);
        logger.LogInformation("Double opt-in {RequestId} for contact {ContactKey}: {Input} -> {State}", message.RequestId, message.ContactKey, input.GetType().Name, next.GetType().Name);
        await RunOwedCommandsAsync(message, row, cancellationToken);
        return (true, TimeSpan.Zero);
    }

    private async Task<WorkflowRow> RunOwedCommandsAsync(DoubleOptInWorkflowMessage message, WorkflowRow row, CancellationToken cancellationToken)
    {
        if (row.Pending.Count == 0)
        {
            return row;
        }

        foreach (var command in row.Pending)
        {
            switch (command)
            {
                case DoubleOptInCommand.ScheduleDeadline deadline:
                    var delay = Min(Max(deadline.DueAt - time.GetUtcNow(), TimeSpan.Zero), MaxVisibilityDelay);
                    await EnqueueAsync(message with { InputId = deadline.CommandId, Input = new DoubleOptInInput.DeadlineReached(deadline.DueAt), DueAt = deadline.DueAt }, delay, cancellationToken);
                    break;
                case DoubleOptInCommand.CancelDeadline or DoubleOptInCommand.Complete:
                    // A timer that fires into a finished workflow is a no-op; nothing to cancel on a queue.
                    break;
                default:
                    var result = await executor.ExecuteAsync(command, cancellationToken);
                    if (result.ToInput(time.GetUtcNow()) is { } followUp)
                    {
                        await EnqueueAsync(message with { InputId = command.CommandId + ":result", Input = followUp, DueAt = null }, TimeSpan.Zero, cancellationToken);
                    }

                    break;
            }
        }

        return await SaveAsync(message, row with { Pending = [] }, cancellationToken);
    }

    private async Task<WorkflowRow> LoadAsync(string contactKey, string requestId, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, RowKey(requestId), cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return new WorkflowRow(DoubleOptIn.Initial, [], [], null);
        }

        var entity = response.Value!;
        return new WorkflowRow(
            JsonSerializer.Deserialize<DoubleOptInState>(entity.GetString("State")!, DoubleOptInCommandCodec.Options)!,
            JsonSerializer.Deserialize<List<string>>(entity.GetString("Applied") ?? "[]", DoubleOptInCommandCodec.Options)!,
            JsonSerializer.Deserialize<List<DoubleOptInCommand>>(entity.GetString("Pending") ?? "[]", DoubleOptInCommandCodec.Options)!,
            entity.ETag);
    }

    private async Task<WorkflowRow> SaveAsync(DoubleOptInWorkflowMessage message, WorkflowRow row, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(message.ContactKey, RowKey(message.RequestId))
        {
            ["State"] = JsonSerializer.Serialize(row.State, DoubleOptInCommandCodec.Options),
            ["StateKind"] = row.State.GetType().Name,
            ["Terminal"] = DoubleOptIn.IsTerminal(row.State),
            ["DueAt"] = DoubleOptIn.Deadline(row.State),
            ["Applied"] = JsonSerializer.Serialize(row.Applied, DoubleOptInCommandCodec.Options),
            ["Pending"] = JsonSerializer.Serialize(row.Pending, DoubleOptInCommandCodec.Options),
            ["UpdatedAt"] = time.GetUtcNow(),
        };

        // A concurrent step on the same instance makes this throw; the message is retried against fresh state.
        var response = row.ETag is { } etag
            ? await _table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken)
            : await _table.AddEntityAsync(entity, cancellationToken);
        return row with { ETag = response.Headers.ETag };
    }

    private Task EnqueueAsync(DoubleOptInWorkflowMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
        _queue.SendMessageAsync(message.ToBinary(), visibilityTimeout: delay, cancellationToken: cancellationToken);

    private static string RowKey(string requestId) => "doi:" + requestId;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed record WorkflowRow(DoubleOptInState State, List<string> Applied, List<DoubleOptInCommand> Pending, ETag? ETag);
}
