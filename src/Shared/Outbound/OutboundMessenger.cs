using Azure;
using Messaging.Shared.Configuration;
using Messaging.Shared.Contacts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Outbound;

/// <summary>
/// Sends a message at most once per SendId, through the Outbox table.
/// <list type="number">
/// <item>Insert a Pending row (PartitionKey contact key, RowKey keyed hash of the SendId). If it exists, its state decides.</item>
/// <item>Move it to Attempting with an ETag condition: of two concurrent senders only one gets past this point.</item>
/// <item>Resolve the address, refuse free-form text outside the service window, wait for a throughput permit.</item>
/// <item>Call Meta, then record Sent (wamid hashed and sealed), Failed (category, code) or Unknown.</item>
/// </list>
/// The rule for crashes: a row is only ever re-attempted when we know Meta did not take the message (Pending, or
/// Failed with a retryable category). An Attempting row older than <see cref="OutboundOptions.AttemptingStaleAfter"/>
/// may have reached Meta before its sender died, so it becomes Unknown and is never resent automatically: a missing
/// message is a support ticket, a duplicate marketing message or double opt-in request is a complaint. An operator
/// resolves Unknown rows by looking for a status webhook carrying the row's callback id (<c>biz_opaque_callback_data</c>).
/// Consent is not checked here: callers run the consent policy first and state the <see cref="MessageCategory"/>.
/// </summary>
public sealed class OutboundMessenger(
    OutboxStore outbox,
    IContactDirectory contacts,
    CloudApiClient cloudApi,
    ThroughputLimiter limiter,
    IOptionsMonitor<MetaOptions> meta,
    IOptions<OutboundOptions> options,
    TimeProvider time,
    ILogger<OutboundMessenger> logger)
{
    // Each round either settles the send or loses an ETag race to a writer that has just moved the row forward,
    // so a handful of rounds is plenty; running out means heavy contention, reported as in progress.
    private const int MaxClaimRounds = 5;

    public async Task<OutboundResult> SendAsync(OutboundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.SendId);
        ArgumentException.ThrowIfNullOrEmpty(request.ContactKey);
        ArgumentNullException.ThrowIfNull(request.Message);

        var sendKey = outbox.SendKey(request.SendId);
        var (row, settled) = await ClaimAsync(request, sendKey, cancellationToken);
        return settled ?? await AttemptAsync(request, row!, cancellationToken);
    }

    /// <summary>
    /// The stored outcome of <paramref name="sendId"/> when a repeat call would return it unchanged (sent, unknown,
    /// or failed for good), without claiming anything; null when a send would (re)attempt or is in flight. Lets
    /// callers skip their own checks for sends that already happened, such as a once-per-contact notice.
    /// </summary>
    public async Task<OutboundResult?> FindSettledAsync(string contactKey, string sendId, CancellationToken cancellationToken)
    {
        var row = await outbox.GetAsync(contactKey, outbox.SendKey(sendId), cancellationToken);
        return row is not null && IsSettled(row, time.GetUtcNow()) ? ResultOf(sendId, row) : null;
    }

    private static bool IsSettled(OutboxEntity row, DateTimeOffset now) => row.ParsedState switch
    {
        OutboxState.Sent or OutboxState.Unknown => true,
        OutboxState.Failed => row.ParsedCategory is not { } category || !CloudApiErrorClassifier.IsRetryableLater(category) || row.RetryNotBefore > now,
        _ => false,
    };

    private async Task<(OutboxEntity? Claimed, OutboundResult? Settled)> ClaimAsync(OutboundRequest request, string sendKey, CancellationToken cancellationToken)
    {
        OutboxEntity? current = null;
        for (var round = 0; round < MaxClaimRounds; round++)
        {
            if (current is null)
            {
                var fresh = NewRow(request, sendKey);
                current = await outbox.TryInsertAsync(fresh, cancellationToken) ? fresh : await outbox.GetAsync(request.ContactKey, sendKey, cancellationToken);
                if (current is null)
                {
                    continue;
                }
            }

            EnsureSameMessage(request, current);
            var now = time.GetUtcNow();
            var state = current.ParsedState;
            switch (state)
            {
                case var _ when IsSettled(current, now):
                    return (null, ResultOf(request.SendId, current));
                case OutboxState.Attempting when now - current.AttemptStartedAt < options.Value.AttemptingStaleAfter:
                    return (null, ResultOf(request.SendId, current));
                case OutboxState.Attempting:
                    current.State = nameof(OutboxState.Unknown);
                    current.CompletedAt = now;
                    if (await outbox.TryReplaceAsync(current, cancellationToken))
                    {
                        logger.LogWarning("Outbox {ContactKey}/{SendKey}: attempt started {Started:o} never finished; outcome unknown, not resending",
                            current.PartitionKey, current.RowKey, current.AttemptStartedAt);
                        return (null, ResultOf(request.SendId, current));
                    }

                    break;
                default:
                    // Pending, or Failed in a way that proves Meta never took it: safe to (re)attempt.
                    current.State = nameof(OutboxState.Attempting);
                    current.AttemptStartedAt = now;
                    current.AttemptCount++;
                    ClearOutcome(current);
                    if (await outbox.TryReplaceAsync(current, cancellationToken))
                    {
                        return (current, null);
                    }

                    break;
            }

            current = await outbox.GetAsync(request.ContactKey, sendKey, cancellationToken);
        }

        return (null, new OutboundResult(request.SendId, sendKey, OutboundStatus.InProgress));
    }

    private async Task<OutboundResult> AttemptAsync(OutboundRequest request, OutboxEntity row, CancellationToken cancellationToken)
    {
        var calledMeta = false;
        try
        {
            var address = await contacts.GetAddressAsync(request.ContactKey, cancellationToken);
            if (address is null)
            {
                return await FailAsync(request, row, SendErrorCategory.ContactUnknown);
            }

            if (string.IsNullOrEmpty(address.PhoneE164))
            {
                return await FailAsync(request, row, SendErrorCategory.NoPhoneNumber);
            }

            if (request.Message.IsFreeForm && !address.IsServiceWindowOpen(time.GetUtcNow()))
            {
                return await FailAsync(request, row, SendErrorCategory.ClosedWindow);
            }

            var phoneNumberId = meta.CurrentValue.PhoneNumberId;
            if (string.IsNullOrWhiteSpace(phoneNumberId))
            {
                throw new InvalidOperationException("Meta:PhoneNumberId is not configured.");
            }

            if (!await limiter.WaitForPermitAsync(phoneNumberId, cancellationToken))
            {
                return await FailAsync(request, row, SendErrorCategory.Throttled);
            }

            calledMeta = true;
            var result = await cloudApi.SendAsync(address.PhoneE164, request.Message, row.RowKey, cancellationToken);
            return await RecordAsync(request, row, result);
        }
        catch (Exception) when (!calledMeta)
        {
            await BestEffortAsync(row, OutboxState.Pending, "released for a later attempt");
            throw;
        }
        catch (Exception)
        {
            await BestEffortAsync(row, OutboxState.Unknown, "outcome unknown after an error during or after the Meta call");
            throw;
        }
    }

    private async Task<OutboundResult> RecordAsync(OutboundRequest request, OutboxEntity row, CloudApiResult result)
    {
        var now = time.GetUtcNow();
        row.CompletedAt = now;
        row.HttpStatus = result.HttpStatus;
        switch (result.Outcome)
        {
            case CloudApiOutcome.Accepted:
                outbox.SealWamid(row, result.Wamid!);
                // Index first: if we crash before the row says Sent, a status webhook can still find the send.
                await outbox.UpsertWamidIndexAsync(row.WamidHash!, row.PartitionKey, row.RowKey, CancellationToken.None);
                row.State = nameof(OutboxState.Sent);
                row.MessageStatus = result.MessageStatus;
                break;
            case CloudApiOutcome.NotAccepted:
                row.State = nameof(OutboxState.Failed);
                row.ErrorCategory = result.Category?.ToString();
                row.ErrorCode = result.ErrorCode;
                row.RetryNotBefore = result.Category == SendErrorCategory.EcosystemCap ? now + options.Value.EcosystemCapBackoff : null;
                break;
            default:
                row.State = nameof(OutboxState.Unknown);
                logger.LogWarning("Outbox {ContactKey}/{SendKey}: Meta call ended without a definite answer; not resending", row.PartitionKey, row.RowKey);
                break;
        }

        // Meta has already answered: the record must be written even if the caller gives up now.
        if (!await outbox.TryCompleteAsync(row, CancellationToken.None))
        {
            logger.LogWarning("Outbox {ContactKey}/{SendKey}: row vanished before its outcome was recorded (contact erased?)", row.PartitionKey, row.RowKey);
        }

        logger.LogInformation("Outbox {ContactKey}/{SendKey}: {State} (kind {Kind}, category {Category}, code {Code})",
            row.PartitionKey, row.RowKey, row.State, row.Kind, row.ErrorCategory, row.ErrorCode);
        return ResultOf(request.SendId, row);
    }

    private async Task<OutboundResult> FailAsync(OutboundRequest request, OutboxEntity row, SendErrorCategory category)
    {
        row.State = nameof(OutboxState.Failed);
        row.ErrorCategory = category.ToString();
        row.CompletedAt = time.GetUtcNow();
        if (!await outbox.TryReplaceAsync(row, CancellationToken.None))
        {
            logger.LogWarning("Outbox {ContactKey}/{SendKey}: could not record {Category}; the row changed meanwhile", row.PartitionKey, row.RowKey, category);
        }

        logger.LogInformation("Outbox {ContactKey}/{SendKey}: not sent ({Category})", row.PartitionKey, row.RowKey, category);
        return ResultOf(request.SendId, row);
    }

    private async Task BestEffortAsync(OutboxEntity row, OutboxState state, string why)
    {
        row.State = state.ToString();
        row.CompletedAt = state == OutboxState.Unknown ? time.GetUtcNow() : null;
        try
        {
            if (await outbox.TryReplaceAsync(row, CancellationToken.None))
            {
                logger.LogWarning("Outbox {ContactKey}/{SendKey}: {Why}", row.PartitionKey, row.RowKey, why);
            }
        }
        catch (RequestFailedException e)
        {
            // Left Attempting: the stale-attempt rule turns it into Unknown later, which is the safe direction.
            logger.LogError("Outbox {ContactKey}/{SendKey}: could not mark {State} (storage {Status})", row.PartitionKey, row.RowKey, state, e.Status);
        }
    }

    private static OutboundResult ResultOf(string sendId, OutboxEntity row) => new(
        sendId,
        row.RowKey,
        row.ParsedState switch
        {
            OutboxState.Sent => OutboundStatus.Sent,
            OutboxState.Failed => OutboundStatus.Failed,
            OutboxState.Unknown => OutboundStatus.UnknownOutcome,
            _ => OutboundStatus.InProgress,
        },
        row.ParsedCategory,
        row.ErrorCode,
        row.MessageStatus,
        row.RetryNotBefore);

    private OutboxEntity NewRow(OutboundRequest request, string sendKey) => new()
    {
        PartitionKey = request.ContactKey,
        RowKey = sendKey,
        State = nameof(OutboxState.Pending),
        Kind = request.Kind.ToString(),
        MessageType = request.Message.Type,
        TemplateName = request.Message.Template?.Name,
        CreatedAt = time.GetUtcNow(),
    };

    private static void EnsureSameMessage(OutboundRequest request, OutboxEntity row)
    {
        if (row.Kind != request.Kind.ToString() || row.MessageType != request.Message.Type || row.TemplateName != request.Message.Template?.Name)
        {
            throw new InvalidOperationException($"SendId {row.RowKey} (hashed) was already used for a different message; a SendId must name exactly one send.");
        }
    }

    private static void ClearOutcome(OutboxEntity row)
    {
        row.CompletedAt = null;
        row.ErrorCategory = null;
        row.ErrorCode = null;
        row.HttpStatus = null;
        row.RetryNotBefore = null;
    }
}
