using Azure.Messaging.ServiceBus;
using Messaging.Shared.Configuration;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Messaging.Functions.Outbound;

/// <summary>
/// The outbound queue in Azure: the <c>outbound-messages</c> Service Bus queue Bicep creates (sessions required,
/// duplicate detection on). SessionId = the business phone number id, so Meta's per-number pace holds across every
/// instance; MessageId = the command's de-duplication id; a retry's delay is a scheduled enqueue time.
/// </summary>
public sealed class ServiceBusOutboundSendQueue(ServiceBusClient client, IOptionsMonitor<MetaOptions> meta, TimeProvider time) : IOutboundSendQueue, IAsyncDisposable
{
    // The same name as LocalHost's Storage Queue.
    public const string QueueName = StorageNames.OutboundQueue;

    private readonly ServiceBusSender _sender = client.CreateSender(QueueName);

    public Task EnqueueAsync(OutboundSendCommand command, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var message = new ServiceBusMessage(BinaryData.FromBytes(command.Serialize()))
        {
            MessageId = command.DeduplicationId,
            SessionId = meta.CurrentValue.PhoneNumberId ?? "unconfigured",
            ContentType = "application/json",
        };
        if (delay > TimeSpan.Zero)
        {
            message.ScheduledEnqueueTime = time.GetUtcNow() + delay;
        }

        return _sender.SendMessageAsync(message, cancellationToken);
    }

    public ValueTask DisposeAsync() => _sender.DisposeAsync();
}
