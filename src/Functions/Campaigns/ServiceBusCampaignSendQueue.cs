using Azure.Messaging.ServiceBus;
using Messaging.Shared.Campaigns.Sending;
using Messaging.Shared.Configuration;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Messaging.Functions.Campaigns;

/// <summary>
/// The <c>campaign-sends</c> Service Bus queue Bicep creates (sessions required, duplicate detection on).
/// SessionId = the business phone number id, so one consumer at a time sends the number's campaign messages and
/// Meta's per-number pace holds across every instance; MessageId = <see cref="CampaignSend.DeduplicationId"/>.
/// </summary>
public sealed class ServiceBusCampaignSendQueue(ServiceBusClient client, IOptionsMonitor<MetaOptions> meta) : ICampaignSendQueue, IAsyncDisposable
{
    public const string QueueName = StorageNames.CampaignSendsQueue;

    private readonly ServiceBusSender _sender = client.CreateSender(QueueName);

    public async Task EnqueueAsync(IReadOnlyList<CampaignSend> sends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sends);
        var session = meta.CurrentValue.PhoneNumberId ?? "unconfigured";
        var pending = new Queue<ServiceBusMessage>(sends.Select(send => new ServiceBusMessage(BinaryData.FromBytes(send.Serialize()))
        {
            MessageId = send.DeduplicationId,
            SessionId = session,
            ContentType = "application/json",
        }));
        while (pending.Count > 0)
        {
            // A batch is one session's messages, under the namespace's size limit; what does not fit goes in the next.
            using var batch = await _sender.CreateMessageBatchAsync(cancellationToken);
            while (pending.Count > 0 && batch.TryAddMessage(pending.Peek()))
            {
                pending.Dequeue();
            }

            if (batch.Count == 0)
            {
                throw new InvalidOperationException("A campaign send does not fit into a Service Bus batch.");
            }

            await _sender.SendMessagesAsync(batch, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => _sender.DisposeAsync();
}
