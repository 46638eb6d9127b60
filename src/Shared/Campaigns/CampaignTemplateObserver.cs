using System.Globalization;
using Messaging.Shared.Templates;
using Messaging.Shared.Webhooks;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Logging;

namespace Messaging.Shared.Campaigns;

/// <summary>
/// A template PAUSED or DISABLED by Meta (<c>message_template_status_update</c>) pauses every scheduled or running
/// campaign that uses it, with the reason; resume once the template is approved again. The pause's input id names
/// the template, status and webhook time, so a redelivered webhook pauses once.
/// </summary>
public sealed class CampaignTemplateObserver(CampaignStore campaigns, IWorkflowHost workflows, TimeProvider time, ILogger<CampaignTemplateObserver> logger)
    : ITemplateObserver
{
    public async Task OnTemplateChangedAsync(TemplateState state, TemplateUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(update);
        if (update.Field != "message_template_status_update" || state.Status is not ("PAUSED" or "DISABLED") || state.Name is null)
        {
            return;
        }

        var reason = PausedReason(state.Status, state.StatusReason);
        foreach (var definition in await campaigns.ListDefinitionsAsync(cancellationToken))
        {
            if (definition.Template.Name != state.Name
                || (state.Language is not null && !string.Equals(definition.Template.Language, state.Language, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var status = (await campaigns.GetStatusAsync(definition.CampaignId, cancellationToken))?.Status ?? "draft";
            if (status is not ("scheduled" or "running"))
            {
                continue;
            }

            var inputId = $"template:{state.TemplateId}:{state.Status}:{(state.StatusAt ?? update.At).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";
            await workflows.SignalAsync<CampaignInput>(
                CampaignWorkflow.Instance(definition.CampaignId), inputId, new CampaignInput.PauseRequested(reason, time.GetUtcNow()), cancellationToken);
            logger.LogInformation("Campaign {CampaignId} paused: template {TemplateId} is {Status}", definition.CampaignId, state.TemplateId, state.Status);
        }
    }

    /// <summary>"template-paused" or "template-disabled", with Meta's reason when it gave one.</summary>
    public static string PausedReason(string status, string? metaReason) =>
        "template-" + status.ToLowerInvariant() + (string.IsNullOrWhiteSpace(metaReason) || metaReason == "NONE" ? "" : $" ({metaReason})");
}
