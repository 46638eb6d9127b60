using Messaging.Shared.Campaigns.Templates;
using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Keywords;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Contacts;
using Messaging.Shared.Privacy;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Campaigns.Api;

/// <summary>
/// Creating and steering campaigns: validates the template (exists, APPROVED, parameter count, Art. 21(4)),
/// snapshots the audience with its exclusions, and turns operator commands into decider inputs, refusing with a reason
/// what the campaign's status does not allow.
/// </summary>
public sealed class CampaignOperations(
    MessageTemplateCatalog templates,
    IContactDirectory contacts,
    ContactTombstones tombstones,
    ConsentLedger ledger,
    CampaignStore store,
    CampaignRecipientStore recipients,
    IWorkflowHost workflows,
    IOptions<ConsentKeywordOptions> keywords,
    TimeProvider time)
{
    private IReadOnlyList<string> StopKeywords => keywords.Value.EffectiveStop;

    /// <returns>The created campaign, or the problem (a sentence) and the field it concerns.</returns>
    public async Task<(CampaignCreated? Created, string? Field, string? Problem)> CreateAsync(CreateCampaignBody body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200)
        {
            return (null, "name", "A name of 1 to 200 characters is required.");
        }

        if (body.Template is not { Name.Length: > 0, Language.Length: > 0 } requested)
        {
            return (null, "template", "template {name, language} is required.");
        }

        var purpose = body.Purpose ?? ConsentPurpose.Marketing;
        if (!ConsentPurpose.IsValid(purpose))
        {
            return (null, "purpose", "purpose must be a consent purpose such as \"marketing\".");
        }

        var audience = body.Audience;
        var kinds = new[] { audience?.Phones is not null, audience?.ContactKeys is not null, audience?.Segment is not null }.Count(x => x);
        if (kinds != 1)
        {
            return (null, "audience", "audience must be exactly one of {phones: [...]}, {contactKeys: [...]} or {segment: {consent: \"marketing\"}}.");
        }

        if (audience!.Segment is not null)
        {
            return (null, "audience", "Segment audiences are not available yet; pass phones or contactKeys, or upload a CSV.");
        }

        var template = await templates.FindAsync(requested, cancellationToken);
        if (CampaignTemplateCheck.Problem(template, requested, 0, StopKeywords) is { } problem)
        {
            return (null, "template", problem);
        }

        var (eligible, excluded, size) = await SnapshotAsync(audience, purpose, template!.IsMarketing, cancellationToken);
        var campaignId = CampaignIds.New();
        await recipients.WriteAsync(campaignId, [.. eligible.Select(k => new CampaignRecipient(k, []))], cancellationToken);
        var now = time.GetUtcNow();
        var definition = new CampaignDefinition(campaignId, body.Name, requested, purpose, size, eligible.Count, excluded, now);
        await store.TryAddDefinitionAsync(definition, cancellationToken);
        var plan = new CampaignPlan(campaignId, requested, purpose, template.IsMarketing, CampaignRecipientStore.PageCount(eligible.Count), eligible.Count);
        await workflows.StartAsync<CampaignInput>(CampaignWorkflow.Instance(campaignId), new CampaignInput.Created(plan, now), cancellationToken);
        if (body.SendAt is { } sendAt)
        {
            await workflows.SignalAsync<CampaignInput>(CampaignWorkflow.Instance(campaignId), "create-start", new CampaignInput.StartRequested(sendAt, now), cancellationToken);
        }

        return (new CampaignCreated(campaignId, "draft", size, eligible.Count, excluded), null, null);
    }

    /// <returns>Whether the campaign exists, and why its status refuses the command (null when accepted).</returns>
    public async Task<(bool Found, string? Conflict)> CommandAsync(string campaignId, string command, CancellationToken cancellationToken)
    {
        if (await store.GetDefinitionAsync(campaignId, cancellationToken) is null)
        {
            return (false, null);
        }

        var status = (await store.GetStatusAsync(campaignId, cancellationToken))?.Status ?? "draft";
        var now = time.GetUtcNow();
        (string[] Allowed, CampaignInput Input) rule = command switch
        {
            "start" => (["draft"], new CampaignInput.StartRequested(null, now)),
            "pause" => (["scheduled", "running"], new CampaignInput.PauseRequested("operator", now)),
            "resume" => (["paused"], new CampaignInput.ResumeRequested(now)),
            "cancel" => (["draft", "scheduled", "running", "paused"], new CampaignInput.CancelRequested(now)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown campaign command."),
        };
        if (!rule.Allowed.Contains(status))
        {
            return (true, $"Cannot {command} a campaign that is {status}.");
        }

        // Each press is its own input: pause, resume and pause again must all count.
        await workflows.SignalAsync(CampaignWorkflow.Instance(campaignId), $"{command}:{Guid.NewGuid():N}", rule.Input, cancellationToken);
        return (true, null);
    }

    public async Task<CampaignResponse?> GetAsync(string campaignId, CancellationToken cancellationToken)
    {
        if (await store.GetDefinitionAsync(campaignId, cancellationToken) is not { } definition)
        {
            return null;
        }

        return Response(definition, await store.GetStatusAsync(campaignId, cancellationToken), time.GetUtcNow());
    }

    public async Task<IReadOnlyList<CampaignResponse>> ListAsync(CancellationToken cancellationToken)
    {
        var list = new List<CampaignResponse>();
        foreach (var definition in await store.ListDefinitionsAsync(cancellationToken))
        {
            list.Add(Response(definition, await store.GetStatusAsync(definition.CampaignId, cancellationToken), time.GetUtcNow()));
        }

        return list;
    }

    public static CampaignResponse Response(CampaignDefinition definition, CampaignSnapshot? snapshot, DateTimeOffset now)
    {
        var tally = snapshot?.Tally ?? CampaignTally.Empty;
        var end = snapshot?.FinishedAt ?? now;
        double? rate = snapshot?.StartedAt is { } started && end > started ? tally.Sent / (end - started).TotalSeconds : null;
        DateTimeOffset? eta = snapshot is { Status: "running" } && rate > 0 ? now.AddSeconds((definition.Eligible - tally.Settled) / rate.Value) : null;
        return new CampaignResponse(
            definition.CampaignId,
            definition.Name,
            definition.Template,
            snapshot?.Status ?? "draft",
            snapshot?.PausedReason,
            definition.AudienceSize,
            definition.Eligible,
            definition.Excluded,
            tally.Sent,
            0,
            0,
            new CampaignFailures(tally.Failed),
            tally.Skipped,
            rate is null ? null : Math.Round(rate.Value, 1),
            snapshot?.StartedAt,
            snapshot?.FinishedAt,
            eta);
    }

    private async Task<(List<string> Eligible, CampaignExclusions Excluded, int Size)> SnapshotAsync(
        CampaignAudienceBody audience, string purpose, bool marketing, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var eligible = new List<string>();
        int noConsent = 0, withdrawn = 0, erased = 0, unknown = 0, duplicate = 0;
        var byPhone = audience.Phones is not null;
        var entries = audience.Phones ?? audience.ContactKeys ?? [];
        foreach (var entry in entries)
        {
            string? key = null;
            if (byPhone)
            {
                key = E164.TryNormalize(entry) is { } phone ? await contacts.FindByPhoneAsync(phone, cancellationToken) : null;
            }
            else if (!string.IsNullOrWhiteSpace(entry) && await contacts.GetAddressAsync(entry, cancellationToken) is not null)
            {
                key = entry;
            }

            if (key is null)
            {
                unknown++;
                continue;
            }

            if (!seen.Add(key))
            {
                duplicate++;
                continue;
            }

            if (await tombstones.IsTombstonedAsync(key, cancellationToken))
            {
                erased++;
                continue;
            }

            var head = await ledger.GetHeadAsync(key, purpose, cancellationToken);
            switch (head.Status)
            {
                case ConsentStatus.Confirmed:
                    eligible.Add(key);
                    break;
                case ConsentStatus.Withdrawn:
                    withdrawn++;
                    break;
                default:
                    if (marketing)
                    {
                        noConsent++;
                    }
                    else
                    {
                        eligible.Add(key);
                    }

                    break;
            }
        }

        return (eligible, new CampaignExclusions(noConsent, withdrawn, erased, unknown, duplicate), entries.Count);
    }
}
