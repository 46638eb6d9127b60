using Azure;
using Messaging.Shared.Contacts;
using Messaging.Shared.Inbox;
using Messaging.Shared.Messages;
using Microsoft.Extensions.Logging;

namespace Messaging.Shared.Webhooks;

/// <summary>
/// Applies a queued webhook: parse, then for each event claim it in the inbox, apply its effects, mark it done.
/// Runs identically behind the LocalHost queue worker and the Service Bus trigger. Bodies that cannot be read
/// are parked at once; bodies whose processing keeps failing are parked after <see cref="MaxAttempts"/>.
/// Logs name event kinds, counts and contact keys, never identifiers or text.
/// </summary>
public sealed class InboundWebhookProcessor(
    WebhookBodyStore bodies,
    ParkedWebhookStore parked,
    InboxGuard inbox,
    ContactDirectory contacts,
    MessageStore messages,
    UnhandledEventStore unhandled,
    IEnumerable<IInboundObserver> observers,
    ILogger<InboundWebhookProcessor> logger)
{
    public const int MaxAttempts = 5;
    private readonly IInboundObserver[] _observers = observers.ToArray();

    /// <param name="attempt">1 for the first delivery; the host's delivery or dequeue count.</param>
    public async Task<ProcessingOutcome> ProcessAsync(WebhookEnvelope envelope, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        byte[]? body = envelope.InlineBody;
        if (body is null)
        {
            body = await bodies.LoadAsync(envelope.Id, envelope.BodyBlob!, cancellationToken);
            if (body is null)
            {
                // The same body (same id) was processed from an earlier copy, which then removed the blob.
                logger.LogInformation("Webhook {EnvelopeId} payload is gone: an identical delivery was already processed", envelope.Id);
                return ProcessingOutcome.Processed;
            }
        }

        IReadOnlyList<WebhookEvent> events;
        try
        {
            events = WebhookParser.Parse(body);
        }
        catch (WebhookPayloadException e)
        {
            logger.LogWarning("Webhook {EnvelopeId} parked: {Reason}", envelope.Id, e.Message);
            await parked.ParkAsync(envelope, body, e.Message, attempt, cancellationToken);
            return ProcessingOutcome.Parked;
        }

        try
        {
            foreach (var webhookEvent in events)
            {
                await ProcessEventAsync(webhookEvent, cancellationToken);
            }
        }
        catch (Exception e) when (attempt >= MaxAttempts && e is not OperationCanceledException and not WebhookRetryLaterException)
        {
            var reason = $"Processing failed {attempt} times: {Describe(e)}";
            logger.LogError("Webhook {EnvelopeId} parked: {Reason}", envelope.Id, reason);
            await parked.ParkAsync(envelope, body, reason, attempt, cancellationToken);
            return ProcessingOutcome.Parked;
        }

        if (envelope.BodyBlob is not null)
        {
            await parked.ResolveAsync(envelope, cancellationToken);
            await bodies.DeleteAsync(envelope.BodyBlob, cancellationToken);
        }

        logger.LogInformation("Webhook {EnvelopeId} processed: {EventCount} events", envelope.Id, events.Count);
        return ProcessingOutcome.Processed;
    }

    private async Task ProcessEventAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        switch (await inbox.ClaimAsync(webhookEvent.EventId, cancellationToken))
        {
            case InboxClaim.AlreadyDone:
                return;
            case InboxClaim.HeldElsewhere:
                throw new WebhookRetryLaterException();
        }

        try
        {
            await ApplyAsync(webhookEvent, cancellationToken);
        }
        catch
        {
            await inbox.ReleaseAsync(webhookEvent.EventId, CancellationToken.None);
            throw;
        }

        await inbox.CompleteAsync(webhookEvent.EventId, cancellationToken);
    }

    private async Task ApplyAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        switch (webhookEvent)
        {
            case InboundMessage message when message.FromWaId is not null || message.FromUserId is not null:
            {
                if (await contacts.ResolveInboundAsync(message.FromWaId, message.FromUserId, message.Contact?.ProfileName, message.Timestamp, cancellationToken) is not { } contactKey)
                {
                    logger.LogInformation("Inbound {MessageType} message dropped: the contact is erased", message.Type);
                    break;
                }

                await messages.StoreInboundAsync(contactKey, message, cancellationToken);
                if (message.System is { Type: "user_changed_number", NewWaId: { } newWaId })
                {
                    await contacts.ChangeNumberAsync(contactKey, newWaId, cancellationToken);
                }

                foreach (var observer in _observers)
                {
                    await observer.OnMessageAsync(contactKey, message, cancellationToken);
                }

                logger.LogInformation("Inbound {MessageType} message stored for contact {ContactKey}", message.Type, contactKey);
                break;
            }

            case StatusUpdate status when status.RecipientWaId is not null || status.RecipientUserId is not null:
            {
                if (await contacts.ResolveInboundAsync(status.RecipientWaId, status.RecipientUserId, null, null, cancellationToken) is not { } contactKey)
                {
                    logger.LogInformation("Status {Status} dropped: the contact is erased", status.Status);
                    break;
                }

                var current = await messages.ApplyStatusAsync(contactKey, status, cancellationToken);
                foreach (var observer in _observers)
                {
                    await observer.OnStatusAsync(contactKey, status, cancellationToken);
                }

                logger.LogInformation("Status {Status} for contact {ContactKey}, now {CurrentStatus}", status.Status, contactKey, current);
                break;
            }

            case UserPreferenceChange preference when preference.WaId is not null || preference.UserId is not null:
            {
                if (await contacts.ResolveInboundAsync(preference.WaId, preference.UserId, null, null, cancellationToken) is not { } contactKey)
                {
                    logger.LogInformation("User preference dropped: the contact is erased");
                    break;
                }

                foreach (var observer in _observers)
                {
                    await observer.OnUserPreferenceAsync(contactKey, preference, cancellationToken);
                }

                logger.LogInformation("User preference {Category}={Value} for contact {ContactKey}", preference.Category, preference.Value, contactKey);
                break;
            }

            case AccountErrorEvent error:
                logger.LogWarning("Meta reported error {ErrorCode} for business number {PhoneNumberId}", error.Error.Code, error.PhoneNumberId);
                await unhandled.KeepAsync("errors", error.Fingerprint, error.PhoneNumberId, System.Text.Json.JsonSerializer.Serialize(error.Error), error.Error.Code, cancellationToken);
                break;

            case UnhandledChange change:
                logger.LogInformation("Kept unhandled webhook field {Field}", change.Field);
                await unhandled.KeepAsync(change.Field, change.Fingerprint, change.PhoneNumberId, change.RawJson, null, cancellationToken);
                break;

            default:
                // A message, status or preference that names no user at all cannot belong to a contact: keep it.
                var raw = System.Text.Json.JsonSerializer.Serialize(webhookEvent, webhookEvent.GetType());
                var fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(webhookEvent.EventId)))[..32];
                logger.LogWarning("Kept {EventKind} without a user identifier", webhookEvent.GetType().Name);
                await unhandled.KeepAsync("unattributed", fingerprint, webhookEvent.PhoneNumberId, raw, null, cancellationToken);
                break;
        }
    }

    private static string Describe(Exception e) => e switch
    {
        RequestFailedException r => $"storage error {r.Status} {r.ErrorCode}",
        _ => e.GetType().Name,
    };
}
