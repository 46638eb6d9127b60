using System.Collections.Concurrent;
using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.LocalHostOnly.Queues;

/// <summary>
/// LocalHost's inbound queue on Azure Storage Queues (Azurite). Routing keys only matter to Service Bus sessions.
/// <para>
/// Group commit: acks that arrive while earlier puts are still in flight travel together in one queue message (a JSON
/// array of envelopes), and each ack still answers only after the put that carries it succeeded. At low load every
/// envelope goes alone and at once; under load the queue sees a fraction of the puts, and processing a fraction of
/// the receives and deletes. Storage Queues have no batch put, and every Azurite queue operation costs time that grows
/// with the number of messages it holds, so this is what keeps processing ahead of the ack on LocalHost.
/// </para>
/// </summary>
public sealed class StorageWebhookQueue(StorageClients storage) : IWebhookQueue, IDisposable
{
    // A queue message holds 64 KB after the client's base64 (4/3): keep a batch's JSON under 46 KB.
    private const int MaxBatchBytes = 46 * 1024;
    private const int MaxPutsInFlight = 4;
    private readonly Azure.Storage.Queues.QueueClient _queue = storage.Queue(StorageNames.InboundQueue);
    private readonly ConcurrentQueue<Pending> _pending = new();
    private readonly SemaphoreSlim _puts = new(MaxPutsInFlight, MaxPutsInFlight);

    // 64 KB per message after the client's base64 encoding, and the envelope base64-encodes the body again.
    public int InlineBodyLimit => 24 * 1024;

    public async Task EnqueueAsync(WebhookEnvelope envelope, string routingKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var pending = new Pending(envelope.Serialize());
        _pending.Enqueue(pending);
        _ = PumpAsync();
        await pending.Stored.Task.WaitAsync(cancellationToken);
    }

    public void Dispose() => _puts.Dispose();

    /// <summary>
    /// Puts what is pending while a put slot is free. A pump that finds no slot can stop: every running put checks
    /// for pending envelopes again after it gave its slot back.
    /// </summary>
    private async Task PumpAsync()
    {
        while (!_pending.IsEmpty && _puts.Wait(0, CancellationToken.None))
        {
            List<Pending> batch = [];
            try
            {
                var bytes = 1;
                lock (_pending)
                {
                    while (_pending.TryPeek(out var next) && (batch.Count == 0 || bytes + next.Json.Length + 1 <= MaxBatchBytes))
                    {
                        _pending.TryDequeue(out _);
                        batch.Add(next);
                        bytes += next.Json.Length + 1;
                    }
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                var message = batch.Count == 1 ? batch[0].Json : JsonArray(batch);
                // Not the caller's token: once the body is signed, an ack that gave up must not abandon the others' put.
                await _queue.SendMessageAsync(BinaryData.FromBytes(message), cancellationToken: CancellationToken.None);
                foreach (var stored in batch)
                {
                    stored.Stored.TrySetResult();
                }
            }
            catch (Exception e)
            {
                foreach (var failed in batch)
                {
                    failed.Stored.TrySetException(e);
                }
            }
            finally
            {
                _puts.Release();
            }
        }
    }

    /// <summary>The envelopes as one JSON array, which <see cref="WebhookEnvelope.DeserializeMany"/> reads.</summary>
    private static byte[] JsonArray(List<Pending> batch)
    {
        var array = new byte[batch.Sum(p => p.Json.Length + 1) + 1];
        array[0] = (byte)'[';
        var at = 1;
        for (var i = 0; i < batch.Count; i++)
        {
            if (i > 0)
            {
                array[at++] = (byte)',';
            }

            batch[i].Json.CopyTo(array, at);
            at += batch[i].Json.Length;
        }

        array[at] = (byte)']';
        return array;
    }

    private sealed record Pending(byte[] Json)
    {
        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
