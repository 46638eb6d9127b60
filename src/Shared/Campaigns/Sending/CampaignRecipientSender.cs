using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Outbound;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Campaigns.Sending;

/// <summary>
/// One recipient of a campaign, whichever lane carried it: the consent gate at this very moment (a STOP, a Meta
/// marketing stop or an erasure since the snapshot skips the person), then the outbox under the send id
/// "campaign:{id}:{contactKey}:{generation}", so a send tried twice after a crash or a redelivery reaches nobody twice.
/// The row records the outcome and the round that tried it.
/// </summary>
public sealed class CampaignRecipientSender(
    CampaignRecipientStore recipients,
    ConsentGuardedSender sender,
    ConsentLedger ledger,
    IOptions<CampaignOptions> options,
    TimeProvider time)
{
    /// <summary><see cref="CampaignRecipientEntity.AttemptNote"/> of a row Meta throttled (130429) in its last round.</summary>
    public const string ThrottledNote = "throttled";

    public static string SendId(string campaignId, string contactKey, int generation) => $"campaign:{campaignId}:{contactKey}:{generation}";

    public async Task<RecipientOutcome> SendAsync(CampaignSend send, CampaignRecipientEntity row, CancellationToken cancellationToken)
    {
        var outcome = await TryAsync(send, row, cancellationToken);
        await recipients.SaveAsync(row, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Sends and records the outcome on <paramref name="row"/> in memory only: the caller saves it, a page's rows in one
    /// batch (<see cref="CampaignRecipientStore.SaveAllAsync"/>). A crash before that leaves rows saying pending whose
    /// send did happen; the next try finds the outbox row and reports its outcome without sending again.
    /// </summary>
    public async Task<RecipientOutcome> TryAsync(CampaignSend send, CampaignRecipientEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(row);
        var parameters = await recipients.OpenParametersAsync(row, cancellationToken);
        var message = parameters.Count == 0
            ? OutboundMessage.FromTemplate(send.Template.Name, send.Template.Language)
            : OutboundMessage.FromTemplate(send.Template.Name, send.Template.Language, TemplateComponent.Body([.. parameters]));
        var kind = send.Marketing ? MessageKind.Marketing : MessageKind.Utility;
        var sendId = SendId(send.CampaignId, row.ContactKey, row.Generation);
        // The outbox row carries the campaign (written before the call), so a status webhook that overtakes the send's
        // answer finds it. A row no round has tried yet has most likely never been sent: no look-up for repeats first.
        var options = new GuardedSendOptions(LikelyNew: row.AttemptedRound == 0, Tag: Statistics.CampaignStatistics.TagOf(send.CampaignId));
        var result = await sender.SendAsync(sendId, row.ContactKey, send.Purpose, kind, message, options, cancellationToken);
        var outcome = CampaignSendOutcomes.Classify(result, send.FinalAttempt);
        if (outcome.WithdrawMarketing)
        {
            await WithdrawMarketingAsync(send.CampaignId, row.ContactKey, cancellationToken);
        }

        row.State = outcome.State.ToString();
        row.Outcome = outcome.Reason;
        row.CallbackId = result.Outbound?.CallbackId ?? row.CallbackId;
        row.Generation += outcome.NewGeneration ? 1 : 0;
        row.AttemptedRound = Math.Max(row.AttemptedRound, send.Round);
        row.AttemptNote = outcome.PauseReason ?? (outcome.Throttled ? ThrottledNote : null);
        return outcome;
    }

    /// <summary>The same ledger event whichever attempt learnt it first: its id derives from the campaign and the contact.</summary>
    private async Task WithdrawMarketingAsync(string campaignId, string contactKey, CancellationToken cancellationToken)
    {
        var proof = new ConsentProof(ConsentSources.Meta131050, ConsentChannels.WhatsApp, null, null, options.Value.PrivacyNoticeVersion, "campaign:" + campaignId);
        var withdrawn = new ConsentWithdrawn($"meta-131050:campaign:{campaignId}", ConsentPurpose.Marketing, ConsentTime.Normalize(time.GetUtcNow()), proof, WithdrawalReason.MetaMarketingStopped);
        await ledger.AppendAsync(contactKey, withdrawn, cancellationToken);
    }
}
