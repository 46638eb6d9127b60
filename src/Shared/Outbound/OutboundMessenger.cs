using Azure;
using Messaging.Shared.Configuration;
using Messaging.Shared.Contacts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Outbound;

/// <summary>
/// Sends a message at most once per SendId, through the Outbox table.
/// <list type="number">
/// <item>Insert a Pending row (PartitionKey contact key, RowKey keyed hash of the SendId). If it exists, its state decides.
/// A caller that knows the send was never tried (<c>likelyNew</c>) skips this row: its first write is the claim in step 3.</item>
/// <item>Resolve the address, refuse free-form text outside the service window, wait for a throughput permit.</item>
/// <item>Only then move the row to Attempting with an ETag condition (of two concurrent senders only one gets past this
/// point), and call Meta at once.</item>
/// <item>Record Sent (wamid hashed and sealed), Failed (category, code) or Unknown.</item>
/// </list>
/// The rule for crashes: a row is re-attempted only when we know Meta did not take the message. A Pending row (or a
/// Failed one with a retryable category) provably never left, so it is sent. Attempting is written immediately before
/// the call, so an Attempting row older than <see cref="OutboundOptions.AttemptingStaleAfter"/> belongs to a sender
/// that died during (or just before) the call: Meta may have the message. It is then Sent when a status webhook already
/// echoed its callback id, and Unknown otherwise, and Unknown is never resent automatically: a missing message is a
/// support ticket, a duplicate marketing message or double opt-in request is a complaint. Unknown rows are listed for
/// the operator (<see cref="OutboxStore.ListUnknownAsync"/>); the rule for resending them is in the README.
/// Consent is not checked here: callers run the consent policy first and state the <see cref="MessageCategory"/>.
/// </summary>
public sealed class OutboundMessenger(
    OutboxStore outbox,
    IContactDirectory contacts,
    CloudApiClient cloudApi,
    ThroughputLimiter limiter,
    IEnumerable<ISendEvidence> evidence,
    IOptionsMonitor<MetaOptions> meta,
    IOptions<OutboundOptions> options,
    TimeProvider time,
    ILogger<OutboundMessenger> logger)
{
    // Each round either settles the send or loses an ETag race to a writer that has just moved the row forward,
    // so a handful of rounds is plenty; running out means heavy contention, reported as in progress.
    private const int MaxClaimRounds = 5;
    private readonly ISendEvidence[] _evidence = evidence.ToArray();

    public Task<OutboundResult> SendAsync(OutboundRequest request, CancellationToken cancellationToken) =>
        SendAsync(request, null, likelyNew: false, cancellationToken);

    /// <param name="address">The contact's address when the caller has just read it (the consent gate does); null reads it here.</param>
    /// <param name="likelyNew">
    /// The caller's records say this send was never tried: no Pending row is written first; the row is inserted as
    /// Attempting once the throughput permit is granted, which is the claim (a crash after it leaves an Attempting row,
    /// never resent). Should the row exist after all, the insert fails and the send takes the usual path.
    /// </param>
    public async Task<OutboundResult> SendAsync(OutboundRequest request, ContactAddress? address, bool likelyNew, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.SendId);
        ArgumentException.ThrowIfNullOrEmpty(request.ContactKey);
        ArgumentNullException.ThrowIfNull(request.Message);
        if (address is not null && address.ContactKey != request.ContactKey)
        {
            throw new ArgumentException("The address belongs to another contact.", nameof(address));
        }

        var sendKey = outbox.SendKey(request.SendId);
        if (likelyNew)
        {
            var fresh = NewRow(request, sendKey);
            if (await AttemptAsync(request, fresh, address, stored: false, cancellationToken) is { } first)
            {
                return first;
            }

            // The row exists (an earlier try, a concurrent sender): its state decides, as for any send.
            address = null;
        }

        for (var round = 0; round < MaxClaimRounds; round++)
        {
            var (row, settled) = await PrepareAsync(request, sendKey, cancellationToken);
            if (settled is not null)
            {
                return settled;
            }

            if (row is null)
            {
                continue;
            }

            var attempted = await AttemptAsync(request, row, address, stored: true, cancellationToken);
            if (attempted is not null)
            {
                return attempted;
            }

            // Another sender moved the row meanwhile: look again.
            address = null;
        }

        return new OutboundResult(request.SendId, sendKey, OutboundStatus.InProgress);
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

    /// <summary>
    /// Sends whose outcome is unknown, for the operator. A row whose callback id a status webhook has echoed
    /// meanwhile is recorded as Sent on the way and not listed.
    /// </summary>
    public async Task<IReadOnlyList<UnknownSend>> ListUnknownAsync(int max, CancellationToken cancellationToken)
    {
        var result = new List<UnknownSend>();
        foreach (var row in await outbox.ListUnknownAsync(max, cancellationToken))
        {
            if (row.ParsedState == OutboxState.Unknown && !await TryResolveFromEvidenceAsync(row, cancellationToken))
            {
                result.Add(new UnknownSend(row.PartitionKey, row.RowKey, row.Kind, row.MessageType, row.TemplateName, row.AttemptStartedAt, row.CompletedAt, row.AttemptCount));
            }
        }

        return result;
    }

    private static bool IsSettled(OutboxEntity row, DateTimeOffset now) => row.ParsedState switch
    {
        OutboxState.Sent or OutboxState.Unknown => true,
        OutboxState.Failed => row.ParsedCategory is not { } category || !CloudApiErrorClassifier.IsRetryableLater(category) || row.RetryNotBefore > now,
        _ => false,
    };

    /// <summary>
    /// The row to attempt (Pending, or Failed in a way that proves Meta never took it), or the result to return
    /// without attempting. Neither when the row changed under us; the caller then looks again.
    /// </summary>
    private async Task<(OutboxEntity? Row, OutboundResult? Settled)> PrepareAsync(OutboundRequest request, string sendKey, CancellationToken cancellationToken)
    {
        var fresh = NewRow(request, sendKey);
        var current = await outbox.TryInsertAsync(fresh, cancellationToken) ? fresh : await outbox.GetAsync(request.ContactKey, sendKey, cancellationToken);
        if (current is null)
        {
            return (null, null);
        }

        EnsureSameMessage(request, current);
        var now = time.GetUtcNow();
        switch (current.ParsedState)
        {
            case OutboxState.Unknown:
                await TryResolveFromEvidenceAsync(current, cancellationToken);
                return (null, ResultOf(request.SendId, current));
            case var _ when IsSettled(current, now):
                return (null, ResultOf(request.SendId, current));
            case OutboxState.Attempting when now - current.AttemptStartedAt < options.Value.AttemptingStaleAfter:
                return (null, ResultOf(request.SendId, current));
            case OutboxState.Attempting:
                return await SettleStaleAttemptAsync(request, current, cancellationToken) is { } stale ? (null, stale) : (null, null);
            default:
                return (current, null);
        }
    }

    /// <summary>A sender died during its call: Sent if a status proves the message left, else Unknown. Never resent.</summary>
    private async Task<OutboundResult?> SettleStaleAttemptAsync(OutboundRequest request, OutboxEntity row, CancellationToken cancellationToken)
    {
        if (await FindEvidenceAsync(row, cancellationToken) is { } wamidHash)
        {
            MarkSentByEvidence(row, wamidHash);
            if (await outbox.TryReplaceAsync(row, cancellationToken))
            {
                await outbox.UpsertWamidIndexAsync(wamidHash, row.PartitionKey, row.RowKey, cancellationToken);
                logger.LogInformation("Outbox {ContactKey}/{SendKey}: attempt cut off, but a status shows it was sent", row.PartitionKey, row.RowKey);
                return ResultOf(request.SendId, row);
            }

            return null;
        }

        // The index first: if we die between the two writes, the row stays Attempting and the next look repeats this.
        await outbox.UpsertUnknownIndexAsync(row.PartitionKey, row.RowKey, cancellationToken);
        row.State = nameof(OutboxState.Unknown);
        row.CompletedAt = time.GetUtcNow();
        if (await outbox.TryReplaceAsync(row, cancellationToken))
        {
            logger.LogWarning("Outbox {ContactKey}/{SendKey}: attempt started {Started:o} never finished; outcome unknown, not resending",
                row.PartitionKey, row.RowKey, row.AttemptStartedAt);
            return ResultOf(request.SendId, row);
        }

        return null;
    }

    /// <summary>An Unknown row whose callback id a status webhook has echoed becomes Sent (and leaves the operator's list).</summary>
    private async Task<bool> TryResolveFromEvidenceAsync(OutboxEntity row, CancellationToken cancellationToken)
    {
        if (await FindEvidenceAsync(row, cancellationToken) is not { } wamidHash)
        {
            return false;
        }

        MarkSentByEvidence(row, wamidHash);
        if (!await outbox.TryReplaceAsync(row, cancellationToken))
        {
            return false;
        }

        await outbox.UpsertWamidIndexAsync(wamidHash, row.PartitionKey, row.RowKey, cancellationToken);
        await outbox.DeleteUnknownIndexAsync(row.PartitionKey, row.RowKey, cancellationToken);
        logger.LogInformation("Outbox {ContactKey}/{SendKey}: outcome was unknown; a status shows it was sent", row.PartitionKey, row.RowKey);
        return true;
    }

    private async Task<string?> FindEvidenceAsync(OutboxEntity row, CancellationToken cancellationToken)
    {
        foreach (var source in _evidence)
        {
            if (await source.FindSentWamidHashAsync(row.PartitionKey, row.RowKey, cancellationToken) is { } wamidHash)
            {
                return wamidHash;
            }
        }

        return null;
    }

    private void MarkSentByEvidence(OutboxEntity row, string wamidHash)
    {
        row.State = nameof(OutboxState.Sent);
        row.WamidHash = wamidHash;
        row.CompletedAt ??= time.GetUtcNow();
        row.ResolvedBy = "status";
    }

    /// <param name="stored">False for a row not written yet (<c>likelyNew</c>): whatever it records is an insert.</param>
    /// <returns>The outcome, or null when another sender claimed the row first (or, unstored, it already existed).</returns>
    private async Task<OutboundResult?> AttemptAsync(OutboundRequest request, OutboxEntity row, ContactAddress? known, bool stored, CancellationToken cancellationToken)
    {
        var address = known ?? await contacts.GetAddressAsync(request.ContactKey, cancellationToken);
        if (address is null)
        {
            return await FailAsync(request, row, SendErrorCategory.ContactUnknown, stored);
        }

        if (string.IsNullOrEmpty(address.PhoneE164))
        {
            return await FailAsync(request, row, SendErrorCategory.NoPhoneNumber, stored);
        }

        if (request.Message.IsFreeForm && !address.IsServiceWindowOpen(time.GetUtcNow()))
        {
            return await FailAsync(request, row, SendErrorCategory.ClosedWindow, stored);
        }

        var phoneNumberId = meta.CurrentValue.PhoneNumberId;
        if (string.IsNullOrWhiteSpace(phoneNumberId))
        {
            throw new InvalidOperationException("Meta:PhoneNumberId is not configured.");
        }

        if (!await limiter.WaitForPermitAsync(phoneNumberId, cancellationToken))
        {
            return await FailAsync(request, row, SendErrorCategory.Throttled, stored);
        }

        // The claim, written right before the call: of two concurrent senders only one gets past it, and a crash
        // before it leaves the row Pending (or absent), which provably never reached Meta.
        row.State = nameof(OutboxState.Attempting);
        row.AttemptStartedAt = time.GetUtcNow();
        row.AttemptCount++;
        ClearOutcome(row);
        if (!(stored ? await outbox.TryReplaceAsync(row, cancellationToken) : await outbox.TryInsertAsync(row, cancellationToken)))
        {
            return null;
        }

        try
        {
            var result = await cloudApi.SendAsync(address.PhoneE164, request.Message, row.RowKey, cancellationToken);
            return await RecordAsync(request, row, result);
        }
        catch (Exception)
        {
            await BestEffortUnknownAsync(row);
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
                await outbox.UpsertUnknownIndexAsync(row.PartitionKey, row.RowKey, CancellationToken.None);
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

    /// <returns>The outcome, or null when the row changed meanwhile (another sender got there first).</returns>
    private async Task<OutboundResult?> FailAsync(OutboundRequest request, OutboxEntity row, SendErrorCategory category, bool stored)
    {
        row.State = nameof(OutboxState.Failed);
        row.ErrorCategory = category.ToString();
        row.CompletedAt = time.GetUtcNow();
        if (!(stored ? await outbox.TryReplaceAsync(row, CancellationToken.None) : await outbox.TryInsertAsync(row, CancellationToken.None)))
        {
            return null;
        }

        logger.LogInformation("Outbox {ContactKey}/{SendKey}: not sent ({Category})", row.PartitionKey, row.RowKey, category);
        return ResultOf(request.SendId, row);
    }

    /// <summary>An error during or after the call: Meta may have the message. Best effort; a row left Attempting turns Unknown when stale.</summary>
    private async Task BestEffortUnknownAsync(OutboxEntity row)
    {
        try
        {
            await outbox.UpsertUnknownIndexAsync(row.PartitionKey, row.RowKey, CancellationToken.None);
            row.State = nameof(OutboxState.Unknown);
            row.CompletedAt = time.GetUtcNow();
            if (await outbox.TryReplaceAsync(row, CancellationToken.None))
            {
                logger.LogWarning("Outbox {ContactKey}/{SendKey}: outcome unknown after an error during or after the Meta call", row.PartitionKey, row.RowKey);
            }
        }
        catch (RequestFailedException e)
        {
            // Left Attempting: the stale-attempt rule turns it into Unknown later, which is the safe direction.
            logger.LogError("Outbox {ContactKey}/{SendKey}: could not mark Unknown (storage {Status})", row.PartitionKey, row.RowKey, e.Status);
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
        Tag = request.Tag,
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
