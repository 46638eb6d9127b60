using Messaging.Shared.Consent.Keywords;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.OptIn;
using Messaging.Shared.Consent.OptInPage;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Outbound;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Consent;

/// <summary>
/// Consent's reaction to inbound events: the privacy notice on a contact's first message (Art. 13), STOP and
/// START (Art. 21, Art. 7(3)), double opt-in replies, Meta's own marketing stop and 131050 failures. Every id it
/// writes or sends under is derived from the triggering event, so a redelivered event changes nothing twice.
/// Evidence references are keyed hashes of wamids: a wamid embeds the phone number.
/// <para>
/// Sends (notice, confirmations) are queued, not made here: the outbound worker runs them through the consent gate
/// and the outbox, so inbound processing never waits for Meta and a crash after queueing loses nothing. Which
/// contacts already have their notice is remembered, so a returning contact's message costs no outbox read.
/// </para>
/// </summary>
public sealed class ConsentInboundObserver(
    ConsentLedger ledger,
    OutboundMessenger messenger,
    IOutboundSendQueue sends,
    IDoubleOptInWorkflows workflows,
    OptInTokenStore optInTokens,
    KeyedHasher hasher,
    TimeProvider time,
    IOptions<ConsentOptions> options,
    IOptions<DoubleOptInOptions> doubleOptInOptions,
    IOptions<ConsentKeywordOptions> keywordOptions,
    ILogger<ConsentInboundObserver> logger) : IInboundObserver
{
    private const string Marketing = ConsentPurpose.Marketing;
    private const int CacheCapacity = 100_000;

    // A queued notice is durable; while it is on its way, further messages of the same contact need not queue it again.
    private static readonly TimeSpan QueuedRecently = TimeSpan.FromMinutes(2);
    private readonly ConsentKeywords _keywords = new(keywordOptions.Value);
    private readonly BoundedCache<string, bool> _noticeSettled = new(CacheCapacity, TimeSpan.FromHours(1), time);
    private readonly BoundedCache<string, bool> _noticeQueued = new(CacheCapacity, QueuedRecently, time);

    public async Task OnMessageAsync(string contactKey, InboundMessage message, CancellationToken cancellationToken)
    {
        if (message.Type == "system")
        {
            return;
        }

        var evidence = Evidence(message.MessageId);
        await SendPrivacyNoticeOnceAsync(contactKey, cancellationToken);

        // A typed keyword, or the "Stop promotions" quick-reply of a marketing template (its label is the keyword).
        var keyword = message.Type is "text" or "button" ? _keywords.Match(message.Text) : KeywordMatch.None;
        if (keyword == KeywordMatch.Stop)
        {
            await WithdrawAsync(contactKey, "stop:" + evidence, message.Timestamp, ConsentSources.WhatsAppKeyword, WithdrawalReason.StopKeyword, evidence, cancellationToken);
            await SendServiceTextAsync("stop-confirm:" + evidence, contactKey, MessageKind.OptOutConfirmation, options.Value.StopConfirmationMessage, cancellationToken);
            return;
        }

        if (keyword == KeywordMatch.Start)
        {
            var proof = new ConsentProof(ConsentSources.WhatsAppKeyword, ConsentChannels.WhatsApp, null, null, options.Value.PrivacyNoticeVersion, evidence);
            var granted = await ledger.AppendAsync(contactKey, new ConsentGranted("start:" + evidence, Marketing, message.Timestamp, proof), cancellationToken);
            logger.LogInformation("START from contact {ContactKey}: marketing consent {Status}", contactKey, granted.Head.Status);
            await SendServiceTextAsync("start-confirm:" + evidence, contactKey, MessageKind.ServiceText, options.Value.StartConfirmationMessage, cancellationToken);
            return;
        }

        if (message.Type == "text" && OptInTokenStore.TryExtractCode(message.Text, out var code))
        {
            await StartFromOptInPageAsync(contactKey, message, code, cancellationToken);
            return;
        }

        await ForwardDoubleOptInReplyAsync(contactKey, message, evidence, cancellationToken);
    }

    /// <summary>
    /// The customer wrote first with the code from the opt-in page: the web consent (wording, versions) meets the
    /// chat (this number). The double opt-in then asks for the confirmation in WhatsApp.
    /// </summary>
    private async Task StartFromOptInPageAsync(string contactKey, InboundMessage message, string code, CancellationToken cancellationToken)
    {
        // Redeemed by this very message: its redelivery after a crash gets the redemption again and starts the same request.
        var redemption = await optInTokens.RedeemAsync(
            code, message.Timestamp > DateTimeOffset.UnixEpoch ? message.Timestamp : DateTimeOffset.UtcNow, cancellationToken, Evidence(message.MessageId));
        if (redemption is null)
        {
            logger.LogInformation("Opt-in code from contact {ContactKey} is unknown, expired or used", contactKey);
            return;
        }

        // Derived from the token, so a redelivered message cannot start a second request.
        var requestId = hasher.Hash("optin-page-request", redemption.TokenId);
        await workflows.StartAsync(
            new DoubleOptInInput.Requested(requestId, contactKey, redemption.Purpose, redemption.ToProof(), message.Timestamp, doubleOptInOptions.Value.ConfirmationWindow),
            cancellationToken);
        logger.LogInformation("Double opt-in {RequestId} started from the opt-in page for contact {ContactKey}", requestId, contactKey);
    }

    public async Task OnStatusAsync(string contactKey, StatusUpdate status, CancellationToken cancellationToken)
    {
        if (status.Status == "failed" && status.Errors.Any(e => e.Code == 131050))
        {
            var evidence = Evidence(status.MessageId);
            await WithdrawAsync(contactKey, "meta-131050:" + evidence, status.Timestamp, ConsentSources.Meta131050, WithdrawalReason.MetaMarketingStopped, evidence, cancellationToken);
        }
    }

    public async Task OnUserPreferenceAsync(string contactKey, UserPreferenceChange change, CancellationToken cancellationToken)
    {
        // Meta's "resume" is not consent under GDPR/UWG for our ledger: it only lifts Meta's own block. Consent is
        // given again through START or a new double opt-in.
        if (change.Category == "marketing_messages" && change.Value == "stop")
        {
            var evidence = hasher.Hash("evidence:user-preference", $"{change.Category}:{change.Value}:{change.Timestamp.ToUnixTimeSeconds()}");
            await WithdrawAsync(contactKey, "meta-user-preferences:" + evidence, change.Timestamp, ConsentSources.MetaUserPreferences, WithdrawalReason.MetaUserPreferences, evidence, cancellationToken);
        }
    }

    private async Task WithdrawAsync(
        string contactKey, string eventId, DateTimeOffset at, string source, WithdrawalReason reason, string evidence, CancellationToken cancellationToken)
    {
        var proof = new ConsentProof(source, ConsentChannels.WhatsApp, null, null, options.Value.PrivacyNoticeVersion, evidence);
        var result = await ledger.AppendAsync(contactKey, new ConsentWithdrawn(eventId, Marketing, at, proof, reason), cancellationToken);
        logger.LogInformation("Marketing consent of contact {ContactKey} withdrawn ({Reason}); appended: {Appended}", contactKey, reason, result.Appended);

        // A request still waiting for its confirmation ends as withdrawn rather than expiring later.
        if (result.Before.PendingRequestId is { } pending)
        {
            await workflows.SignalAsync(contactKey, pending, new DoubleOptInSignal(DoubleOptInSignal.Stop, evidence, at), cancellationToken);
        }
    }

    private async Task ForwardDoubleOptInReplyAsync(string contactKey, InboundMessage message, string evidence, CancellationToken cancellationToken)
    {
        // Most messages are no answer to any request; only a possible answer is worth reading the ledger for.
        if (DoubleOptInReplies.Classify(message.Type, message.Text, message.ButtonPayload ?? message.InteractiveReplyId) is null)
        {
            return;
        }

        string? requestId = null;
        if (DoubleOptInReplies.TryParseButtonPayload(message.ButtonPayload ?? message.InteractiveReplyId, out var fromPayload, out _))
        {
            requestId = fromPayload;
        }
        else
        {
            requestId = (await ledger.GetHeadAsync(contactKey, Marketing, cancellationToken)).PendingRequestId;
        }

        if (requestId is null)
        {
            return;
        }

        var reply = DoubleOptInReplies.Classify(message.Type, message.Text, message.ButtonPayload ?? message.InteractiveReplyId, requestId);
        if (reply is { } kind)
        {
            await workflows.SignalAsync(contactKey, requestId, DoubleOptInSignal.Reply(kind, evidence, message.Timestamp), cancellationToken);
        }
    }

    /// <summary>The notice goes out once per contact (Art. 13): queued unless the outbox already settled it.</summary>
    private async Task SendPrivacyNoticeOnceAsync(string contactKey, CancellationToken cancellationToken)
    {
        var sendId = $"privacy-notice:{contactKey}";
        if (_noticeSettled.TryGet(contactKey, out _) || _noticeQueued.TryGet(contactKey, out _))
        {
            return;
        }

        if (await messenger.FindSettledAsync(contactKey, sendId, cancellationToken) is not null)
        {
            _noticeSettled.Set(contactKey, true);
            return;
        }

        await SendServiceTextAsync(sendId, contactKey, MessageKind.PrivacyNotice, options.Value.PrivacyNoticeMessage, cancellationToken);
        _noticeQueued.Set(contactKey, true);
    }

    /// <summary>
    /// Queues a service text. Meta being down must not make the webhook fail: the outbound worker retries, and the
    /// send id makes a repeat of the same event (or of the queueing) send at most once.
    /// </summary>
    private async Task SendServiceTextAsync(string sendId, string contactKey, MessageKind kind, string template, CancellationToken cancellationToken)
    {
        var message = OutboundMessage.FromText(options.Value.Render(template));
        await sends.EnqueueAsync(OutboundSendCommand.For(sendId, contactKey, Marketing, kind, message, time.GetUtcNow()), TimeSpan.Zero, cancellationToken);
        logger.LogInformation("{Kind} to contact {ContactKey} queued", kind, contactKey);
    }

    private string Evidence(string wamid) => hasher.Hash("evidence:wamid", wamid);
}
