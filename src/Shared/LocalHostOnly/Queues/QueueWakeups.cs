using System.Collections.Concurrent;

namespace Messaging.Shared.LocalHostOnly.Queues;

/// <summary>
/// Lets a writer in this process tell a queue's receive loop (<see cref="StorageQueueLoop"/>) that it has just put a
/// message on the queue, so an idle loop receives at once instead of after its back-off (up to a second). A campaign
/// dispatch hands its result to the next one through the workflow queue: that second, once per dispatch, was lost
/// sending time. Only a shortcut: the message is on the queue either way, and a loop that misses a nudge finds it on
/// its next poll.
/// </summary>
public sealed class QueueWakeups
{
    private readonly ConcurrentDictionary<string, Wakeup> _queues = new(StringComparer.Ordinal);

    /// <summary>Call after the message is stored; <paramref name="queueName"/> as the QueueClient names it (with any prefix).</summary>
    public void Nudge(string queueName) => For(queueName).Nudge();

    /// <summary>Completes at the next <see cref="Nudge"/> of the queue; take it before receiving, so a nudge during the receive counts.</summary>
    public Task Next(string queueName) => For(queueName).Next;

    private Wakeup For(string queueName) => _queues.GetOrAdd(queueName, _ => new Wakeup());

    private sealed class Wakeup
    {
        private TaskCompletionSource _next = New();

        public Task Next => Volatile.Read(ref _next).Task;

        public void Nudge() => Interlocked.Exchange(ref _next, New()).TrySetResult();

        private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
