using Messaging.Shared.Campaigns;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Outbound;

namespace Messaging.Shared.Tests.Campaigns;

/// <summary>
/// A small model world to run the campaign decider in: recipients whose consent can be withdrawn at any moment, an
/// outbox that settles each send id once, and Meta answering each attempt from a script. Page effects are run the
/// way <see cref="CampaignPageSender"/> runs them (gate at send time, send id per campaign + recipient + generation,
/// <see cref="CampaignSendOutcomes.Classify"/>), and may be run twice, late, or not at all.
/// </summary>
internal sealed class CampaignWorld
{
    public const int PageSize = 3;

    private readonly Dictionary<string, OutboundResult> _outbox = [];
    private readonly Dictionary<string, Queue<int>> _metaScript;
    private readonly Dictionary<string, (RecipientState State, string? Outcome, int Generation)> _rows = [];

    public CampaignWorld(int recipients, IReadOnlyDictionary<string, int[]> metaScript)
    {
        Recipients = [.. Enumerable.Range(0, recipients).Select(i => $"ck-{i}")];
        foreach (var r in Recipients)
        {
            _rows[r] = (RecipientState.Pending, null, 0);
            Consented.Add(r);
        }

        _metaScript = metaScript.ToDictionary(kv => kv.Key, kv => new Queue<int>(kv.Value));
    }

    public IReadOnlyList<string> Recipients { get; }

    public HashSet<string> Consented { get; } = [];

    /// <summary>Every message Meta accepted, with whether the recipient had consent at that moment.</summary>
    public List<(string ContactKey, bool HadConsent)> Accepted { get; } = [];

    public int PageCount => (Recipients.Count + PageSize - 1) / PageSize;

    public CampaignInput RunPage(CampaignEffect.SendPage page, DateTimeOffset at)
    {
        var rows = Recipients.Skip(page.Page * PageSize).Take(PageSize).ToList();
        var pending = 0;
        var throttled = false;
        string? pause = null;
        var tally = CampaignTally.Empty;
        foreach (var contact in rows)
        {
            var row = _rows[contact];
            if (row.State == RecipientState.Pending)
            {
                var outcome = CampaignSendOutcomes.Classify(Send(CampaignPageSender.SendId(page.CampaignId, contact, row.Generation), contact), page.FinalAttempt);
                throttled |= outcome.Throttled;
                pause ??= outcome.PauseReason;
                if (outcome.WithdrawMarketing)
                {
                    Consented.Remove(contact);
                }

                row = (outcome.State, outcome.Reason, row.Generation + (outcome.NewGeneration ? 1 : 0));
                _rows[contact] = row;
            }

            pending += row.State == RecipientState.Pending ? 1 : 0;
            tally = row.State switch
            {
                RecipientState.Sent => tally.WithSent(),
                RecipientState.Skipped => tally.WithSkipped(row.Outcome!),
                RecipientState.Failed => tally.WithFailed(row.Outcome!),
                _ => tally,
            };
        }

        return new CampaignInput.PageSent(page.Page, page.Round, tally, pending, throttled, pause, at);
    }

    private GuardedSendResult Send(string sendId, string contact)
    {
        if (_outbox.TryGetValue(sendId, out var settled) && !settled.IsRetryable)
        {
            return new GuardedSendResult(new SendDecision(settled.Status == OutboundStatus.Sent, SendDecisionReason.AlreadySettled), settled);
        }

        if (!Consented.Contains(contact))
        {
            return new GuardedSendResult(SendDecision.Deny(SendDecisionReason.ConsentWithdrawn), null);
        }

        var code = _metaScript.TryGetValue(contact, out var script) && script.Count > 0 ? script.Dequeue() : 0;
        var result = code == 0
            ? new OutboundResult(sendId, "cb", OutboundStatus.Sent)
            : new OutboundResult(sendId, "cb", OutboundStatus.Failed, CloudApiErrorClassifier.Classify(code), code);
        if (code == 0)
        {
            Accepted.Add((contact, Consented.Contains(contact)));
        }

        _outbox[sendId] = result;
        return new GuardedSendResult(SendDecision.Allow(SendDecisionReason.ConsentConfirmed), result);
    }
}
