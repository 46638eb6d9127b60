using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Events;
using Messaging.Shared.Outbound;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Campaigns;

/// <summary>
/// Runs a campaign's page: every pending recipient goes through the consent gate at this very moment (a STOP, a Meta
/// marketing stop or an erasure since the snapshot skips the person) and then the outbox, under the send id
/// "campaign:{id}:{contactKey}:{generation}", so a page run twice after a crash sends nobody twice. Returns the
/// page's tally for the decider.
/// </summary>
public sealed class CampaignPageSender(
    CampaignRecipientStore recipients,
    CampaignStore campaigns,
    ConsentGuardedSender sender,
    ConsentLedger ledger,
    IOptions<CampaignOptions> options,
    TimeProvider time,
    ILogger<CampaignPageSender> logger,
    EventOutbox? events = null) : IWorkflowEffects<CampaignEffect, CampaignInput>
{
    public static string SendId(string campaignId, string contactKey, int generation) => $"campaign:{campaignId}:{contactKey}:{generation}";

    public async Task<CampaignInput?> ExecuteAsync(CampaignEffect effect, CancellationToken cancellationToken)
    {
        if (effect is CampaignEffect.RecordStatus record)
        {
            await campaigns.RecordStatusAsync(record.Snapshot, cancellationToken);
            if (events is not null && CampaignCompletedEvent.Of(record.Snapshot) is { } completed)
            {
                // Part of the effect of the step that completed the campaign, retried with it; the outbox appends it once.
                await events.AppendAsync(completed.Partition, completed.ChangeId, EventTypes.CampaignCompleted, completed.At, completed.Data, null, cancellationToken);
            }

            return null;
        }

        if (effect is not CampaignEffect.SendPage page)
        {
            throw new ArgumentOutOfRangeException(nameof(effect), effect.GetType().Name, "Not a campaign effect.");
        }

        var rows = await recipients.ReadPageAsync(page.CampaignId, page.Page, cancellationToken);
        var throttled = 0;
        string? pauseReason = null;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.SendConcurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(rows.Where(r => r.State == nameof(RecipientState.Pending)), parallel, async (row, ct) =>
        {
            var outcome = await SendOneAsync(page, row, ct);
            if (outcome.Throttled)
            {
                Interlocked.Increment(ref throttled);
            }

            if (outcome.PauseReason is not null)
            {
                pauseReason = outcome.PauseReason;
            }
        });

        var tally = CampaignTally.Empty;
        var pending = 0;
        foreach (var row in rows)
        {
            tally = Enum.Parse<RecipientState>(row.State) switch
            {
                RecipientState.Sent => tally.WithSent(),
                RecipientState.Skipped => tally.WithSkipped(row.Outcome ?? "skipped"),
                RecipientState.Failed => tally.WithFailed(row.Outcome ?? "failed"),
                _ => tally,
            };
            pending += row.State == nameof(RecipientState.Pending) ? 1 : 0;
        }

        logger.LogInformation("Campaign {CampaignId} page {Page} round {Round}: {Sent} sent, {Pending} pending, throttled {Throttled}",
            page.CampaignId, page.Page, page.Round, tally.Sent, pending, throttled);
        return new CampaignInput.PageSent(page.Page, page.Round, tally, pending, throttled > 0, pauseReason, time.GetUtcNow());
    }

    private async Task<RecipientOutcome> SendOneAsync(CampaignEffect.SendPage page, CampaignRecipientEntity row, CancellationToken cancellationToken)
    {
        var parameters = await recipients.OpenParametersAsync(row, cancellationToken);
        var message = parameters.Count == 0
            ? OutboundMessage.FromTemplate(page.Template.Name, page.Template.Language)
            : OutboundMessage.FromTemplate(page.Template.Name, page.Template.Language, TemplateComponent.Body([.. parameters]));
        var kind = page.Marketing ? MessageKind.Marketing : MessageKind.Utility;
        var result = await sender.SendAsync(SendId(page.CampaignId, row.ContactKey, row.Generation), row.ContactKey, page.Purpose, kind, message, cancellationToken);
        var outcome = CampaignSendOutcomes.Classify(result, page.FinalAttempt);
        if (outcome.WithdrawMarketing)
        {
            await WithdrawMarketingAsync(page.CampaignId, row.ContactKey, cancellationToken);
        }

        row.State = outcome.State.ToString();
        row.Outcome = outcome.Reason;
        row.CallbackId = result.Outbound?.CallbackId ?? row.CallbackId;
        row.Generation += outcome.NewGeneration ? 1 : 0;
        await recipients.SaveAsync(row, cancellationToken);
        return outcome;
    }

    /// <summary>The same ledger event whichever page run learnt it first: its id derives from the campaign and the contact.</summary>
    private async Task WithdrawMarketingAsync(string campaignId, string contactKey, CancellationToken cancellationToken)
    {
        var proof = new ConsentProof(ConsentSources.Meta131050, ConsentChannels.WhatsApp, null, null, options.Value.PrivacyNoticeVersion, "campaign:" + campaignId);
        var withdrawn = new ConsentWithdrawn($"meta-131050:campaign:{campaignId}", ConsentPurpose.Marketing, ConsentTime.Normalize(time.GetUtcNow()), proof, WithdrawalReason.MetaMarketingStopped);
        await ledger.AppendAsync(contactKey, withdrawn, cancellationToken);
    }
}
