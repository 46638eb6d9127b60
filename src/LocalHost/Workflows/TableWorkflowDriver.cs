using Messaging.Shared.LocalHostOnly.Queues;
using Messaging.Shared.Retention;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Messaging.Shared.Storage;
using Messaging.Shared.Workflows;

namespace Messaging.LocalHost.Workflows;

/// <summary>
/// LocalHost's runner of any workflow (Azure runs the same deciders on Durable Functions). An instance's state lives in
/// one Workflows row (partition = what it belongs to) under ETag concurrency; requests and timers arrive on the
/// workflow queue, timers as messages with a visibility delay. Each step first saves the new state together with the
/// effects it owes, then runs them and clears them, so a kill between any two steps is repaired by the redelivered
/// message: owed effects run again (they are idempotent by id) and an input already applied is known by its id.
/// </summary>
public sealed class TableWorkflowDriver(
    StorageClients storage,
    WorkflowCatalog catalog,
    IServiceProvider services,
    TimeProvider time,
    ILogger<TableWorkflowDriver> logger,
    RetentionIndex? retention = null,
    QueueWakeups? wakeups = null)
{
    /// <summary>Storage Queues hide a message for at most seven days; later deadlines hop.</summary>
    public static readonly TimeSpan MaxVisibilityDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5);

    /// <summary>A signal may overtake its start on the queue; it waits this many deliveries for the instance to appear.</summary>
    private const int SignalWaitsForStart = 20;

    private const int AppliedInputsKept = 200;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TableClient _table = storage.Table(StorageNames.WorkflowsTable);
    private readonly QueueClient _queue = storage.Queue(StorageNames.WorkflowEventsQueue);

    /// <summary>The stored state of an instance (JSON), or null when it does not exist.</summary>
    public async Task<WorkflowSnapshot?> GetAsync(WorkflowInstance instance, CancellationToken cancellationToken)
    {
        var row = await LoadAsync(instance, cancellationToken);
        return row is null ? null : new WorkflowSnapshot(row.State, row.StateKind, row.Status, row.Pending.Count);
    }

    /// <summary>Handles one queued request. <paramref name="delivery"/> counts deliveries of this message, from 1.</summary>
    /// <returns>Null when done; otherwise how long the message must wait before it is handled again.</returns>
    public async Task<TimeSpan?> HandleAsync(WorkflowRequest request, long delivery, CancellationToken cancellationToken)
    {
        var instance = request.Instance;
        var definition = catalog.Get(instance.Kind);
        var row = await LoadAsync(instance, cancellationToken);

        switch (request.Op)
        {
            case WorkflowRequest.Purge:
                await DeleteAsync(instance, cancellationToken);
                return null;
            case WorkflowRequest.Terminate:
                if (row is { Status: WorkflowStatus.Running })
                {
                    await SaveAsync(instance, row with { Status = WorkflowStatus.Terminated, Pending = [], FinishedAt = time.GetUtcNow() }, cancellationToken);
                    logger.LogInformation("Workflow {Kind} {InstanceId} in {PartitionKey} terminated ({Reason})", instance.Kind, instance.InstanceId, instance.PartitionKey, request.Reason);
                }

                return null;
        }

        if (row is not null)
        {
            row = await RunOwedAsync(definition, instance, row, delivery, cancellationToken);
        }

        if (request.Op == WorkflowRequest.Timer && request.DueAt is { } due && due > time.GetUtcNow())
        {
            return Min(due - time.GetUtcNow(), MaxVisibilityDelay);
        }

        string input;
        string inputId;
        switch (request.Op)
        {
            case WorkflowRequest.Start:
                if (row is not null)
                {
                    return null;
                }

                (input, inputId) = (request.Input!, QueuedWorkflowHost.StartInputId);
                break;
            case WorkflowRequest.Signal:
                if (row is null)
                {
                    return delivery < SignalWaitsForStart ? TimeSpan.FromSeconds(Math.Min(30, delivery * 2)) : Dropped(request, "no such instance");
                }

                (input, inputId) = (request.Input!, request.InputId!);
                break;
            case WorkflowRequest.Timer:
                if (row is null)
                {
                    return null;
                }

                (input, inputId) = (definition.DeadlineInput(request.DueAt!.Value), "timer:" + request.DueAt!.Value.ToUnixTimeSeconds());
                break;
            default:
                return Dropped(request, "unknown operation");
        }

        if (row is { Status: not WorkflowStatus.Running } || (row is not null && row.Applied.Contains(inputId)))
        {
            return null;
        }

        var step = definition.Apply(row?.State, input);
        var next = (row ?? WorkflowRow.New(time.GetUtcNow())) with
        {
            State = step.StateJson,
            StateKind = step.StateKind,
            Deadline = step.Deadline,
            Applied = (row?.Applied ?? []).Append(inputId).TakeLast(AppliedInputsKept).ToList(),
            Pending = step.Effects.ToList(),
            Status = step.Terminal && step.Effects.Count == 0 ? WorkflowStatus.Completed : WorkflowStatus.Running,
            Terminal = step.Terminal,
            FinishedAt = step.Terminal && step.Effects.Count == 0 ? time.GetUtcNow() : null,
        };
        next = await SaveAsync(instance, next, cancellationToken);
        logger.LogInformation("Workflow {Kind} {InstanceId} in {PartitionKey}: {Op} -> {State}", instance.Kind, instance.InstanceId, instance.PartitionKey, request.Op, step.StateKind);
        await RunOwedAsync(definition, instance, next, delivery, cancellationToken);
        return null;
    }

    /// <summary>Runs what the saved state owes (effects, then the timer for its deadline) and records that it ran.</summary>
    private async Task<WorkflowRow> RunOwedAsync(IWorkflowDefinition definition, WorkflowInstance instance, WorkflowRow row, long delivery, CancellationToken cancellationToken)
    {
        if (row.Status != WorkflowStatus.Running)
        {
            return row;
        }

        // The timer first: once any effect of this step can be seen outside, its deadline is already on the queue.
        if (!row.Terminal && row.Deadline is { } due && row.TimerArmedFor != due)
        {
            var delay = Min(Max(due - time.GetUtcNow(), TimeSpan.Zero), MaxVisibilityDelay);
            await SendAsync(WorkflowRequest.For(WorkflowRequest.Timer, instance, dueAt: due), delay, cancellationToken);
        }

        var failedFor = (string?)null;
        foreach (var effect in row.Pending)
        {
            var effectId = definition.EffectId(effect);
            string? followUp;
            try
            {
                followUp = await definition.ExecuteEffectAsync(services, effect, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException && delivery >= definition.EffectRetry.MaxAttempts)
            {
                // Retries exhausted: the decider says what that means; without an answer the instance fails visibly.
                followUp = definition.EffectFailedInput(effect, "retries-exhausted:" + e.GetType().Name, time.GetUtcNow());
                if (followUp is null)
                {
                    failedFor = effectId;
                    break;
                }

                await SignalAsync(instance, effectId + ":failed", followUp, cancellationToken);
                continue;
            }

            if (followUp is not null)
            {
                await SignalAsync(instance, effectId + ":result", followUp, cancellationToken);
            }
        }

        if (failedFor is not null)
        {
            logger.LogError("Workflow {Kind} {InstanceId} in {PartitionKey} failed: effect {EffectId} kept failing", instance.Kind, instance.InstanceId, instance.PartitionKey, failedFor);
            return await SaveAsync(instance, row with { Pending = [], Status = WorkflowStatus.Failed, FinishedAt = time.GetUtcNow() }, cancellationToken);
        }

        if (row.Pending.Count == 0 && row.TimerArmedFor == row.Deadline && !(row.Terminal && row.FinishedAt is null))
        {
            return row;
        }

        return await SaveAsync(instance, row with
        {
            Pending = [],
            TimerArmedFor = row.Deadline,
            Status = row.Terminal ? WorkflowStatus.Completed : row.Status,
            FinishedAt = row.Terminal ? row.FinishedAt ?? time.GetUtcNow() : null,
        }, cancellationToken);
    }

    private Task SignalAsync(WorkflowInstance instance, string inputId, string input, CancellationToken cancellationToken) =>
        SendAsync(WorkflowRequest.For(WorkflowRequest.Signal, instance, inputId, input), TimeSpan.Zero, cancellationToken);

    private async Task SendAsync(WorkflowRequest request, TimeSpan delay, CancellationToken cancellationToken)
    {
        await _queue.SendMessageAsync(request.ToBinary(), visibilityTimeout: delay, cancellationToken: cancellationToken);
        if (delay <= TimeSpan.Zero)
        {
            // An effect's result (a campaign's next dispatch waits on it) is taken at once, not after the idle poll.
            wakeups?.Nudge(_queue.Name);
        }
    }

    private TimeSpan? Dropped(WorkflowRequest request, string why)
    {
        logger.LogWarning("Workflow request {Op} for {Kind} {InstanceId} in {PartitionKey} dropped: {Why}", request.Op, request.Kind, request.InstanceId, request.PartitionKey, why);
        return null;
    }

    private async Task<WorkflowRow?> LoadAsync(WorkflowInstance instance, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(instance.PartitionKey, instance.Id, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var e = response.Value!;
        return new WorkflowRow(
            e.GetString("State") ?? throw new InvalidOperationException("Workflow row without state."),
            e.GetString("StateKind") ?? "",
            e.GetString(WorkflowRegistry.StatusColumn) ?? WorkflowStatus.Running,
            e.GetBoolean("Terminal") ?? false,
            e.GetDateTimeOffset("Deadline"),
            e.GetDateTimeOffset("TimerArmedFor"),
            JsonSerializer.Deserialize<List<string>>(e.GetString("Applied") ?? "[]", Json)!,
            JsonSerializer.Deserialize<List<string>>(e.GetString("Pending") ?? "[]", Json)!,
            e.GetDateTimeOffset("StartedAt") ?? e.Timestamp ?? time.GetUtcNow(),
            e.GetDateTimeOffset(WorkflowRegistry.FinishedAtColumn),
            e.ETag);
    }

    private async Task<WorkflowRow> SaveAsync(WorkflowInstance instance, WorkflowRow row, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(instance.PartitionKey, instance.Id)
        {
            [WorkflowRegistry.KindColumn] = instance.Kind,
            [WorkflowRegistry.InstanceIdColumn] = instance.InstanceId,
            [WorkflowRegistry.StatusColumn] = row.Status,
            [WorkflowRegistry.FinishedAtColumn] = row.FinishedAt,
            ["State"] = row.State,
            ["StateKind"] = row.StateKind,
            ["Terminal"] = row.Terminal,
            ["Deadline"] = row.Deadline,
            ["TimerArmedFor"] = row.TimerArmedFor,
            ["Applied"] = JsonSerializer.Serialize(row.Applied, Json),
            ["Pending"] = JsonSerializer.Serialize(row.Pending, Json),
            ["StartedAt"] = row.StartedAt,
            ["UpdatedAt"] = time.GetUtcNow(),
        };

        if (row.FinishedAt is { } finishedAt && retention is not null)
        {
            await retention.NoteAsync(RetentionClasses.Workflows, StorageNames.WorkflowsTable, instance.PartitionKey, instance.Id, finishedAt, cancellationToken);
        }

        // A concurrent step on the same instance makes this throw; the message is retried against fresh state.
        var response = row.ETag is { } etag
            ? await _table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken)
            : await _table.AddEntityAsync(entity, cancellationToken);
        return row with { ETag = response.Headers.ETag };
    }

    private async Task DeleteAsync(WorkflowInstance instance, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(instance.PartitionKey, instance.Id, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Purged already.
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed record WorkflowRow(
        string State,
        string StateKind,
        string Status,
        bool Terminal,
        DateTimeOffset? Deadline,
        DateTimeOffset? TimerArmedFor,
        List<string> Applied,
        List<string> Pending,
        DateTimeOffset StartedAt,
        DateTimeOffset? FinishedAt,
        ETag? ETag)
    {
        public static WorkflowRow New(DateTimeOffset now) =>
            new("", "", WorkflowStatus.Running, false, null, null, [], [], now, null, null);
    }
}
