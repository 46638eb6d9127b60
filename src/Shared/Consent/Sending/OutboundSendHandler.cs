using Messaging.Shared.Contacts;
using Messaging.Shared.Outbound;
using Microsoft.Extensions.Logging;

namespace Messaging.Shared.Consent.Sending;

/// <summary>
/// What every outbound queue consumer does with one command, whatever the queue (Storage Queue on LocalHost, the
/// Service Bus trigger in Azure): send it through the consent gate and the outbox. A send that may succeed later
/// (another sender holds it, Meta throttles, 131049) is queued again with a delay as a new attempt, so neither host
/// needs delayed redelivery of its own. Exceptions (storage down) mean "deliver again" and are left to the host.
/// </summary>
public sealed class OutboundSendHandler(
    ConsentGuardedSender sender, IOutboundSendQueue queue, ContactKeyring keyring, TimeProvider time, ILogger<OutboundSendHandler> logger)
{
    /// <summary>Commands older than this are not retried again: queues drop messages after seven days anyway.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(6);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(2);

    public async Task HandleAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        OutboundSendCommand command;
        try
        {
            command = OutboundSendCommand.Deserialize(message.Span);
        }
        catch (FormatException)
        {
            // Only our own code writes this queue; a message it cannot read is a bug, not a send to retry forever.
            logger.LogError("Outbound queue message is not a send command; dropped");
            return;
        }

        OutboundMessage toSend;
        if (command.Sealed is { } sealedContent)
        {
            // Null once the contact's key is shredded: the contact was erased after the send was queued.
            if (await keyring.OpenAsync(command.ContactKey, OutboundSendCommand.SealedField, sealedContent, cancellationToken) is not { } opened)
            {
                logger.LogInformation("Send {Kind} to contact {ContactKey} dropped: its content can no longer be opened (contact erased)", command.Kind, command.ContactKey);
                return;
            }

            try
            {
                toSend = OutboundSendCommand.OpenContent(opened);
            }
            catch (FormatException)
            {
                logger.LogError("Outbound queue message for contact {ContactKey} holds sealed content that is not a message; dropped", command.ContactKey);
                return;
            }
        }
        else
        {
            toSend = command.ToMessage();
        }

        var result = await sender.SendAsync(command.SendId, command.ContactKey, command.Purpose, command.Kind, toSend, cancellationToken);
        if (!result.Decision.Allowed || result.Outbound is not { IsRetryable: true } outbound)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (now - command.CreatedAt > GiveUpAfter)
        {
            logger.LogError("Send {Kind} to contact {ContactKey} given up after {Attempts} attempts ({Status} {Category})",
                command.Kind, command.ContactKey, command.Attempt, outbound.Status, outbound.Category);
            return;
        }

        var delay = outbound.RetryNotBefore is { } notBefore && notBefore > now ? notBefore - now : Backoff(command.Attempt);
        await queue.EnqueueAsync(command with { Attempt = command.Attempt + 1 }, delay, cancellationToken);
        logger.LogInformation("Send {Kind} to contact {ContactKey} is {Status} {Category}; attempt {Attempt} in {Delay}",
            command.Kind, command.ContactKey, outbound.Status, outbound.Category, command.Attempt + 1, delay);
    }

    private static TimeSpan Backoff(int attempt)
    {
        var doubled = FirstRetry * Math.Pow(2, Math.Min(attempt - 1, 10));
        var capped = doubled < LongestRetry ? doubled : LongestRetry;
        return capped + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000));
    }
}
