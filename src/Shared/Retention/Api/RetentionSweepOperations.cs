using System.Text.Json;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Retention.Api;

/// <summary>
/// The retention-sweep operations both hosts expose, and the queue handler both hosts run. A sweep is requested by
/// writing its row and a queue message; the worker that takes the message runs it under the lease, and a worker that
/// dies leaves the message to reappear, so the sweep resumes.
/// </summary>
public sealed class RetentionSweepOperations(StorageClients storage, RetentionSweepStore store, RetentionSweeper sweeper)
{
    /// <summary>After this many failed attempts a sweep is shown as failed; the next day's sweep deletes what it left.</summary>
    public const int MaxAttempts = 5;

    public static readonly TimeSpan BusyRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>Starts a sweep, or returns the one running now: two sweeps never run at once.</summary>
    public async Task<RetentionSweepAccepted> StartAsync(CancellationToken cancellationToken)
    {
        if (await store.LiveHolderAsync(cancellationToken) is { } running
            && await store.GetAsync(running, cancellationToken) is { Status: RetentionSweep.Running })
        {
            return new RetentionSweepAccepted(running);
        }

        var sweep = sweeper.NewSweep(Guid.NewGuid().ToString("N"));
        await store.CreateAsync(sweep, cancellationToken);
        await storage.Queue(StorageNames.RetentionSweepsQueue)
            .SendMessageAsync(JsonSerializer.Serialize(new RetentionSweepAccepted(sweep.SweepId)), cancellationToken);
        return new RetentionSweepAccepted(sweep.SweepId);
    }

    public async Task<RetentionSweepResponse?> GetAsync(string sweepId, CancellationToken cancellationToken) =>
        await store.GetAsync(sweepId, cancellationToken) is { } sweep
            ? new RetentionSweepResponse(
                sweep.SweepId,
                sweep.Status,
                sweep.StartedAt,
                sweep.FinishedAt,
                sweep.Classes.Select(c => new RetentionSweepClass(c.Name, c.Retention, c.Deleted)).ToList())
            : null;

    /// <summary>Runs the sweep a queue message names. Returns the delay after which to see the message again, or null when done.</summary>
    public async Task<TimeSpan?> HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Deserialize<RetentionSweepAccepted>(message);
        if (request is null || !RetentionSweepStore.IsKeySafe(request.SweepId))
        {
            return null;
        }

        if (dequeueCount > MaxAttempts)
        {
            await sweeper.MarkFailedAsync(request.SweepId, cancellationToken);
            return null;
        }

        return await sweeper.RunAsync(request.SweepId, cancellationToken) ? null : BusyRetryDelay;
    }
}
