using System.Globalization;
using Messaging.Shared.Outbound;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Campaigns.Statistics;

/// <summary>
/// Rolls status webhooks of campaign messages up into the campaign's counters. Runs before the message row records
/// the status, so a redelivery runs it again: <see cref="CampaignStatistics.RecordAsync"/> counts each message once.
/// </summary>
public sealed class CampaignStatusObserver(CampaignStatistics statistics, OutboxStore outbox) : IInboundObserver
{
    public async Task OnStatusAsync(string contactKey, StatusUpdate status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.Status is not ("delivered" or "read" or "failed"))
        {
            return;
        }

        // Meta echoes biz_opaque_callback_data (our outbox row key, in the contact's partition); should a status lack
        // it, or the contact it resolved to differ, the wamid finds the row. The row's tag names the campaign.
        var row = status.BizOpaqueCallbackData is { Length: > 0 } echoed ? await outbox.GetAsync(contactKey, echoed, cancellationToken) : null;
        row ??= await outbox.FindByWamidAsync(status.MessageId, cancellationToken);
        if (row is null || CampaignStatistics.CampaignOfTag(row.Tag) is not { } campaignId)
        {
            return;
        }

        var callbackId = row.RowKey;
        var code = status.Errors.Count > 0 ? status.Errors[0].Code.ToString(CultureInfo.InvariantCulture) : null;
        await statistics.RecordAsync(campaignId, callbackId, status.Status, code, cancellationToken);
    }
}
