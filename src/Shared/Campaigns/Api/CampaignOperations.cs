using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Messaging.Shared.Campaigns.Audience;
using Messaging.Shared.Campaigns.Statistics;
using Messaging.Shared.Campaigns.Templates;
using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Keywords;
using Messaging.Shared.Security;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Campaigns.Api;

/// <summary>
/// Creating and steering campaigns: validates the template (exists, APPROVED, parameter count, Art. 21(4)),
/// snapshots the audience with its exclusions, and turns operator commands into decider inputs, refusing with a reason
/// what the campaign's status does not allow. With an Idempotency-Key the campaign id derives from the key, so a
/// retried create (after a timeout, a crash half-way) finishes and answers with the same campaign.
/// </summary>
public sealed class CampaignOperations(
    MessageTemplateCatalog templates,
    CampaignAudienceSnapshot audiences,
    CampaignStore store,
    CampaignRecipientStore recipients,
    CampaignStatistics statistics,
    IWorkflowHost workflows,
    KeyedHasher hasher,
    IOptions<ConsentKeywordOptions> keywords,
    IOptions<CampaignOptions> options,
    IOptions<Configuration.MetaOptions> meta,
    TimeProvider time)
{
    /// <summary>The field a problem names when an Idempotency-Key was used before with a different request (422).</summary>
    public const string IdempotencyKeyField = "Idempotency-Key";

    private IReadOnlyList<string> StopKeywords => keywords.Value.EffectiveStop;

    /// <param name="idempotencyKey">The request's Idempotency-Key header, if any: 1-255 printable ASCII characters.</param>
    /// <returns>The created campaign, or the problem (a sentence) and the field it concerns.</returns>
    public async Task<(CampaignCreated? Created, string? Field, string? Problem)> CreateAsync(CreateCampaignBody body, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > 255 || idempotencyKey.Any(c => c is < (char)0x21 or > (char)0x7e)))
        {
            return (null, IdempotencyKeyField + " header", "An Idempotency-Key is 1 to 255 printable ASCII characters without spaces.");
        }

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
        if (kinds > 1)
        {
            return (null, "audience", "audience must be exactly one of {phones: [...]}, {contactKeys: [...]} or {segment: {consent: \"marketing\"}}; leave it out to upload a CSV afterwards.");
        }

        if (audience?.Segment is { } segment && (segment.Consent is null || !ConsentPurpose.IsValid(segment.Consent)))
        {
            return (null, "audience.segment.consent", "segment.consent must be a consent purpose such as \"marketing\".");
        }

        string? campaignId = null, fingerprint = null;
        if (idempotencyKey is not null)
        {
            campaignId = "c-" + hasher.Hash("campaign-idempotency-key", idempotencyKey)[..16];
            fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body))));
            if (await store.GetDefinitionAsync(campaignId, cancellationToken) is { } earlier)
            {
                return earlier.RequestFingerprint != fingerprint
                    ? (null, IdempotencyKeyField, "This Idempotency-Key was used for a different request; use a new key for a new campaign.")
                    : (await FinishAsync(earlier, body.SendAt, cancellationToken), null, null);
            }
        }

        // Without an audience the draft waits for a CSV upload, which brings the parameters; the count is checked then.
        var template = await templates.FindAsync(requested, cancellationToken);
        if (CampaignTemplateCheck.Problem(template, requested, kinds == 0 ? null : 0, StopKeywords) is { } problem)
        {
            return (null, "template", problem);
        }

        IReadOnlyList<string?> keys = audience?.Phones is { } phones ? await audiences.ResolvePhonesAsync(phones, cancellationToken)
            : audience?.ContactKeys is { } contactKeys ? await audiences.ResolveContactKeysAsync(contactKeys, cancellationToken)
            : audience?.Segment is { Consent: { } consent } ? [.. await audiences.SegmentAsync(consent, cancellationToken)]
            : [];
        var taken = await audiences.TakeAsync([.. keys.Select(k => new CampaignAudienceSnapshot.Candidate(k, []))], purpose, template!.IsMarketing, cancellationToken);
        campaignId ??= CampaignIds.New();
        await recipients.WriteAsync(campaignId, taken.Eligible, cancellationToken);
        var definition = new CampaignDefinition(
            campaignId, body.Name, requested, purpose, taken.AudienceSize, taken.Eligible.Count, taken.Excluded, time.GetUtcNow(), RequestFingerprint: fingerprint);
        if (!await store.TryAddDefinitionAsync(definition, cancellationToken))
        {
            // A concurrent retry with the same key got there first; answer as it does.
            definition = (await store.GetDefinitionAsync(campaignId, cancellationToken))!;
        }

        return (await FinishAsync(definition, body.SendAt, cancellationToken, template.IsMarketing), null, null);
    }

    private async Task<CampaignPlan> PlanAsync(CampaignDefinition definition, bool? marketing, CancellationToken cancellationToken)
    {
        marketing ??= (await templates.FindAsync(definition.Template, cancellationToken))?.IsMarketing ?? true;
        return new CampaignPlan(
            definition.CampaignId, definition.Template, definition.Purpose, marketing.Value, CampaignRecipientStore.PageCount(definition.Eligible), definition.Eligible, definition.Audience,
            options.Value.PagesPerDispatch(meta.Value.MessagesPerSecond));
    }

    /// <summary>Starts the campaign's workflow (idempotent: a retry after a crash finishes what the first try began).</summary>
    private async Task<CampaignCreated> FinishAsync(CampaignDefinition definition, DateTimeOffset? sendAt, CancellationToken cancellationToken, bool? marketing = null)
    {
        var instance = CampaignWorkflow.Instance(definition.CampaignId);
        var plan = await PlanAsync(definition, marketing, cancellationToken);
        await workflows.StartAsync<CampaignInput>(instance, new CampaignInput.Created(plan, definition.CreatedAt), cancellationToken);
        if (sendAt is { } at)
        {
            await workflows.SignalAsync<CampaignInput>(instance, "create-start", new CampaignInput.StartRequested(at, definition.CreatedAt), cancellationToken);
        }

        return new CampaignCreated(definition.CampaignId, "draft", definition.AudienceSize, definition.Eligible, definition.Excluded);
    }

    /// <returns>Whether the campaign exists, and why its status refuses the command (null when accepted).</returns>
    public async Task<(bool Found, string? Conflict)> CommandAsync(string campaignId, string command, CancellationToken cancellationToken)
    {
        if (await store.GetDefinitionAsync(campaignId, cancellationToken) is not { } definition)
        {
            return (false, null);
        }

        if (command == "start" && definition.AudienceSize == 0)
        {
            return (true, "Cannot start a campaign without an audience: upload a CSV to /audience first.");
        }

        var status = (await store.GetStatusAsync(campaignId, cancellationToken))?.Status ?? "draft";
        var now = time.GetUtcNow();
        (string[] Allowed, CampaignInput Input) rule = command switch
        {
            "start" => (["draft"], new CampaignInput.StartRequested(null, now, await PlanAsync(definition, null, cancellationToken))),
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

        return Response(definition, await store.GetStatusAsync(campaignId, cancellationToken), await statistics.GetAsync(campaignId, cancellationToken), time.GetUtcNow());
    }

    public async Task<IReadOnlyList<CampaignResponse>> ListAsync(CancellationToken cancellationToken)
    {
        var list = new List<CampaignResponse>();
        foreach (var definition in await store.ListDefinitionsAsync(cancellationToken))
        {
            list.Add(Response(
                definition,
                await store.GetStatusAsync(definition.CampaignId, cancellationToken),
                await statistics.GetAsync(definition.CampaignId, cancellationToken),
                time.GetUtcNow()));
        }

        return list;
    }

    /// <param name="delivery">What status webhooks reported; its failures add to those the sends met.</param>
    public static CampaignResponse Response(CampaignDefinition definition, CampaignSnapshot? snapshot, CampaignDeliveryCounts delivery, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(delivery);
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
            delivery.Delivered,
            delivery.Read,
            new CampaignFailures(delivery.FailedByCode.Aggregate(tally.Failed, (all, kv) => all.SetItem(kv.Key, all.GetValueOrDefault(kv.Key) + kv.Value))),
            SkippedWithNamedReasons(tally.Skipped),
            rate is null ? null : Math.Round(rate.Value, 1),
            snapshot?.StartedAt,
            snapshot?.FinishedAt,
            eta);
    }

    /// <summary>The reasons the API names are always present (0 when none), others as they occurred.</summary>
    private static IReadOnlyDictionary<string, int> SkippedWithNamedReasons(IReadOnlyDictionary<string, int> skipped)
    {
        var all = new SortedDictionary<string, int>(StringComparer.Ordinal)
        {
            [CampaignSendOutcomes.WithdrawnDuringCampaign] = 0,
            [CampaignSendOutcomes.PerUserMarketingCap] = 0,
            [CampaignSendOutcomes.Erased] = 0,
        };
        foreach (var (reason, count) in skipped)
        {
            all[reason] = count;
        }

        return all;
    }
}
