using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Campaigns.Sending;

/// <summary>
/// The consumer of the <c>campaign-sends</c> queue (Azure's Service Bus trigger; one session, the business number, at
/// a time): sends a batch of campaign recipients, <see cref="CampaignOptions.SendConcurrency"/> at a time, paced by this
/// process's throughput limiter, which is then the pace of the whole number. A send already settled or already tried
/// in its round (a redelivery, a duplicate, a later round overtaking it) is skipped. Exceptions (storage down) mean
/// "deliver the batch again": every send in it is idempotent.
/// </summary>
public sealed class CampaignSendHandler(
    CampaignRecipientStore recipients,
    CampaignRecipientSender sender,
    IOptions<CampaignOptions> options,
    ILogger<CampaignSendHandler> logger)
{
    public async Task HandleAsync(IReadOnlyList<ReadOnlyMemory<byte>> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var sends = new List<CampaignSend>(messages.Count);
        foreach (var message in messages)
        {
            try
            {
                sends.Add(CampaignSend.Deserialize(message.Span));
            }
            catch (FormatException)
            {
                // Only our own code writes this queue; a message it cannot read is a bug, not a send to retry forever.
                logger.LogError("Campaign send queue message is not a campaign send; dropped");
            }
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.SendConcurrency), CancellationToken = cancellationToken };
        var tried = new System.Collections.Concurrent.ConcurrentQueue<CampaignRecipientEntity>();
        try
        {
            await Parallel.ForEachAsync(sends, parallel, async (send, ct) =>
            {
                var row = await recipients.FindAsync(send.Partition, send.ContactKey, ct);
                if (row is null || QueuedCampaignSendLane.TriedIn(row, send.Round))
                {
                    return;
                }

                await sender.TryAsync(send with { Generation = row.Generation }, row, ct);
                tried.Enqueue(row);
            });
        }
        finally
        {
            // One write per page for the whole batch; should this fail, the batch is delivered again and the outbox
            // answers for the sends that happened.
            await recipients.SaveAllAsync(tried, CancellationToken.None);
        }
    }
}
