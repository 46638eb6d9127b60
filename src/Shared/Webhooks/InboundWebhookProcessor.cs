using System.Collections.Concurrent;
using Azure;
using Messaging.Shared.Contacts;
using Messaging.Shared.Messages;
using Messaging.Shared.Storage;
using Messaging.Shared.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Webhooks;

/// <summary>
/// Applies a queued webhook. Runs identically behind the LocalHost queue worker and the Service Bus trigger.
/// <list type="bullet">
/// <item>Every effect is idempotent, and an event's own row is its de-duplication: an inbound message first runs its
/// effects (observers queue sends under deterministic ids, append ledger events under event ids), then inserts its
/// message row keyed by the wamid in the contact's partition. The insert commits: a redelivery after a crash at any
/// earlier point runs the effects again (each a no-op the second time) and inserts; one after the insert conflicts.
/// A status likewise runs its effects before the write that records it in the message's row, which lists the
/// statuses it has seen; statuses only move a row forward.</item>
/// <item>Within this process, copies of one message that arrive together run its steps once (the others wait for
/// it), and a message committed recently is recognised without a storage round trip.</item>
/// <item>Events of different contacts in one webhook run in parallel (bounded); one contact's events stay in order.</item>
/// <item>Bodies that cannot be read are parked at once; readable events of a body with unreadable items are applied
/// and the body is parked as well, with the reason; bodies whose processing keeps failing are parked after
/// <see cref="MaxAttempts"/>.</item>
/// </list>
/// Logs name event kinds, counts and contact keys, never identifiers or text.
/// </summary>
public sealed class InboundWebhookProcessor(
    WebhookBodyStore bodies,
    ParkedWebhookStore parked,
    ContactDirectory contacts,
    MessageStore messages,
    UnhandledEventStore unhandled,
    TemplateStore templates,
    IEnumerable<IInboundObserver> observers,
    IEnumerable<ITemplateObserver> templateObservers,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    ILogger<InboundWebhookProcessor> logger)
{
    public const int MaxAttempts = 5;
    private readonly IInboundObserver[] _observers = observers.ToArray();
    private readonly ITemplateObserver[] _templateObservers = templateObservers.ToArray();
    private readonly ConcurrentDictionary<string, Lazy<Task>> _inFlight = new(StringComparer.Ordinal);
    private readonly BoundedCache<string, bool> _committed = new(50_000, TimeSpan.FromMinutes(10), time);

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

        ParsedWebhook parsed;
        try
        {
            parsed = WebhookParser.Read(body);
        }
        catch (WebhookPayloadException e)
        {
            logger.LogWarning("Webhook {EnvelopeId} parked: {Reason}", envelope.Id, e.Message);
            await parked.ParkAsync(envelope, body, e.Message, attempt, cancellationToken);
            return ProcessingOutcome.Parked;
        }

        try
        {
            await ApplyAllAsync(parsed.Events, cancellationToken);
        }
        catch (Exception e) when (attempt >= MaxAttempts && e is not OperationCanceledException && !IsStorageUnavailable(e))
        {
            var reason = $"Processing failed {attempt} times: {Describe(e)}";
            logger.LogError("Webhook {EnvelopeId} parked: {Reason}", envelope.Id, reason);
            await parked.ParkAsync(envelope, body, reason, attempt, cancellationToken);
            return ProcessingOutcome.Parked;
        }

        if (parsed.Problems.Count > 0)
        {
            var reason = $"{parsed.Events.Count} events applied; {parsed.Problems.Count} items unreadable: {string.Join(" ", parsed.Problems.Take(5))}";
            logger.LogWarning("Webhook {EnvelopeId} parked: {Reason}", envelope.Id, reason);
            await parked.ParkAsync(envelope, body, reason, attempt, cancellationToken);
            return ProcessingOutcome.Parked;
        }

        if (envelope.BodyBlob is not null)
        {
            await parked.ResolveAsync(envelope, cancellationToken);
            await bodies.DeleteAsync(envelope.BodyBlob, cancellationToken);
        }

        logger.LogInformation("Webhook {EnvelopeId} processed: {EventCount} events", envelope.Id, parsed.Events.Count);
        return ProcessingOutcome.Processed;
    }

    private async Task ApplyAllAsync(IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count <= 1)
        {
            foreach (var webhookEvent in events)
            {
                await ApplyAsync(webhookEvent, cancellationToken);
            }

            return;
        }

        // One lane per person: their events in the order Meta listed them, lanes side by side.
        var lanes = events.GroupBy(LaneOf, StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(
            lanes,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelContactsPerWebhook, CancellationToken = cancellationToken },
            async (lane, token) =>
            {
                foreach (var webhookEvent in lane)
                {
                    await ApplyAsync(webhookEvent, token);
                }
            });
    }

    private static string LaneOf(WebhookEvent webhookEvent) => webhookEvent switch
    {
        InboundMessage m => Person(m.FromUserId, m.FromWaId),
        StatusUpdate s => Person(s.PersonUserId, s.PersonWaId),
        UserPreferenceChange p => Person(p.UserId, p.WaId),
        _ => "",
    };

    private static string Person(string? userId, string? waId) => userId is not null ? "u:" + userId : "w:" + waId;

    private async Task ApplyAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        switch (webhookEvent)
        {
            case InboundMessage { IsRevision: true } revision when revision.FromWaId is not null || revision.FromUserId is not null:
            {
                // A revoke or edit changes the message it names; it is no message of its own and triggers nothing.
                if (await contacts.ResolveInboundAsync(revision.FromWaId, revision.FromUserId, revision.Contact?.ProfileName, null, cancellationToken) is not { } contactKey)
                {
                    logger.LogInformation("Inbound {Revision} dropped: the contact is erased", revision.Type);
                    break;
                }

                var now = await messages.ApplyRevisionAsync(contactKey, revision, cancellationToken);
                logger.LogInformation("Inbound {Revision} for contact {ContactKey}: the original is {State}", revision.Type, contactKey, now);
                break;
            }

            case InboundMessage message when message.FromWaId is not null || message.FromUserId is not null:
                if (_committed.TryGet(message.EventId, out _))
                {
                    logger.LogInformation("Inbound {MessageType} message: duplicate of one processed here", message.Type);
                    break;
                }

                var run = _inFlight.GetOrAdd(message.EventId, _ => new Lazy<Task>(() => ApplyMessageAsync(message, cancellationToken)));
                try
                {
                    await run.Value;
                }
                finally
                {
                    _inFlight.TryRemove(KeyValuePair.Create(message.EventId, run));
                }

                break;

            case StatusUpdate status when status.PersonWaId is not null || status.PersonUserId is not null:
            {
                // For a group message the person is the member the status names; the group's id is never a contact.
                if (await contacts.ResolveInboundAsync(status.PersonWaId, status.PersonUserId, null, null, cancellationToken) is not { } contactKey)
                {
                    logger.LogInformation("Status {Status} dropped: the contact is erased", status.Status);
                    break;
                }

                var applied = await messages.ApplyStatusAsync(
                    contactKey,
                    status,
                    async token =>
                    {
                        foreach (var observer in _observers)
                        {
                            await observer.OnStatusAsync(contactKey, status, token);
                        }
                    },
                    cancellationToken);
                logger.LogInformation("Status {Status} for contact {ContactKey}, now {CurrentStatus}{Duplicate}", status.Status, contactKey, applied.Current, applied.IsNew ? "" : " (duplicate)");
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

            case TemplateUpdate template:
            {
                var state = await templates.ApplyAsync(template, cancellationToken);
                foreach (var observer in _templateObservers)
                {
                    await observer.OnTemplateChangedAsync(state, template, cancellationToken);
                }

                logger.LogInformation("Template {TemplateId} ({Field}): status {Status}, category {Category}, quality {Quality}",
                    state.TemplateId, template.Field, state.Status, state.Category, state.Quality);
                break;
            }

            case PhoneNumberQualityUpdate quality:
                await templates.ApplyAsync(quality, cancellationToken);
                foreach (var observer in _templateObservers)
                {
                    await observer.OnPhoneNumberQualityChangedAsync(quality, cancellationToken);
                }

                logger.LogInformation("Business number {PhoneNumberId}: {Event}, limit {Limit}", quality.PhoneNumberId, quality.Event, quality.MaxDailyConversations ?? quality.CurrentLimit);
                break;

            case StatusUpdate { IsGroup: true } groupStatus:
                // A status for a whole group names no member: nobody to attribute it to, and the group is no contact.
                logger.LogInformation("Kept a {Status} status of a group message that names no member", groupStatus.Status);
                await unhandled.KeepAsync("group_statuses", Fingerprint(groupStatus), groupStatus.PhoneNumberId, System.Text.Json.JsonSerializer.Serialize(groupStatus), null, cancellationToken);
                break;

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
                logger.LogWarning("Kept {EventKind} without a user identifier", webhookEvent.GetType().Name);
                await unhandled.KeepAsync("unattributed", Fingerprint(webhookEvent), webhookEvent.PhoneNumberId, raw, null, cancellationToken);
                break;
        }
    }

    private static string Fingerprint(WebhookEvent webhookEvent) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(webhookEvent.EventId)))[..32];

    private async Task ApplyMessageAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (await contacts.ResolveInboundAsync(message.FromWaId, message.FromUserId, message.Contact?.ProfileName, message.Timestamp, cancellationToken) is not { } contactKey)
        {
            logger.LogInformation("Inbound {MessageType} message dropped: the contact is erased", message.Type);
            return;
        }

        if (message.System is { Type: "user_changed_number", NewWaId: { } newWaId })
        {
            await contacts.ChangeNumberAsync(contactKey, newWaId, cancellationToken);
        }

        foreach (var observer in _observers)
        {
            await observer.OnMessageAsync(contactKey, message, cancellationToken);
        }

        // Last: the row is the commit. Until it exists, a redelivery repeats the (idempotent) steps above.
        var stored = await messages.StoreInboundAsync(contactKey, message, cancellationToken);
        _committed.Set(message.EventId, true);
        logger.LogInformation("Inbound {MessageType} message for contact {ContactKey}: {Outcome}", message.Type, contactKey, stored ? "stored" : "duplicate");
    }

    /// <summary>
    /// Storage away (refused, reset, timed out, 5xx, throttled) says nothing about the webhook: such failures never
    /// park it, however often they repeat; the queue brings it back with growing delay until storage answers again.
    /// </summary>
    internal static bool IsStorageUnavailable(Exception e) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsStorageUnavailable),
        HttpRequestException or TimeoutException or IOException or TaskCanceledException => true,
        _ => e.InnerException is { } inner && IsStorageUnavailable(inner),
    };

    private static string Describe(Exception e) => e switch
    {
        RequestFailedException r => $"storage error {r.Status} {r.ErrorCode}",
        _ => e.GetType().Name,
    };
}
