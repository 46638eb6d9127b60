using Messaging.Shared.Storage;

namespace Messaging.Shared.Consent.Sending;

/// <summary>LocalHost's outbound queue on Azure Storage Queues; a delay is the message's initial invisibility.</summary>
public sealed class StorageOutboundSendQueue(StorageClients storage) : IOutboundSendQueue
{
    // Storage Queues hide a message for at most seven days.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5);
    private readonly Azure.Storage.Queues.QueueClient _queue = storage.Queue(StorageNames.OutboundQueue);

    public Task EnqueueAsync(OutboundSendCommand command, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var visibility = delay <= TimeSpan.Zero ? (TimeSpan?)null : delay < MaxDelay ? delay : MaxDelay;
        return _queue.SendMessageAsync(BinaryData.FromBytes(command.Serialize()), visibility, cancellationToken: cancellationToken);
    }
}
