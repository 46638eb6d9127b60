using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.Segments;
using Messaging.Shared.Contacts;
using Messaging.Shared.Privacy;

namespace Messaging.Shared.Campaigns.Audience;

/// <summary>
/// Turns a requested audience (phone numbers, contact keys, a consent segment, CSV rows) into the campaign's snapshot:
/// who is eligible now, and how many were left out and why (unknown contact, duplicate, erased, withdrawn, no
/// consent). Lookups run side by side; the result keeps the requested order.
/// </summary>
public sealed class CampaignAudienceSnapshot(IContactDirectory contacts, ContactTombstones tombstones, ConsentLedger ledger, ConsentSegmentIndex segments)
{
    private const int Parallelism = 32;

    /// <summary>One requested member: the contact found (null when none), and the body parameters supplied for it.</summary>
    public sealed record Candidate(string? ContactKey, IReadOnlyList<string> Parameters);

    public sealed record Result(IReadOnlyList<CampaignRecipient> Eligible, CampaignExclusions Excluded, int AudienceSize);

    /// <returns>Per phone number, its contact, or null when the number is invalid or unknown.</returns>
    public Task<string?[]> ResolvePhonesAsync(IReadOnlyList<string> phones, CancellationToken cancellationToken) =>
        MapAsync(phones, async (phone, ct) => E164.TryNormalize(phone) is { } e164 ? await contacts.FindByPhoneAsync(e164, ct) : null, cancellationToken);

    /// <returns>Per key, the key when such a contact exists or existed (erased ones are told apart later), else null.</returns>
    public Task<string?[]> ResolveContactKeysAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        MapAsync(keys, async (key, ct) =>
            string.IsNullOrWhiteSpace(key) || key.Length > 128 ? null
            : await tombstones.IsTombstonedAsync(key, ct) || await contacts.GetAddressAsync(key, ct) is not null ? key
            : null, cancellationToken);

    /// <summary>Everyone the consent index lists for the purpose; each is checked against the ledger in <see cref="TakeAsync"/>.</summary>
    public async Task<IReadOnlyList<string>> SegmentAsync(string purpose, CancellationToken cancellationToken)
    {
        var members = new List<string>();
        await foreach (var key in segments.MembersAsync(purpose, cancellationToken))
        {
            members.Add(key);
        }

        return members;
    }

    /// <param name="marketing">Only confirmed consent counts; otherwise anyone not withdrawn (e.g. utility messages).</param>
    public async Task<Result> TakeAsync(IReadOnlyList<Candidate> candidates, string purpose, bool marketing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = new List<Candidate>();
        int unknown = 0, duplicate = 0;
        foreach (var candidate in candidates)
        {
            if (candidate.ContactKey is null)
            {
                unknown++;
            }
            else if (!seen.Add(candidate.ContactKey))
            {
                duplicate++;
            }
            else
            {
                unique.Add(candidate);
            }
        }

        var verdicts = await MapAsync(unique, async (candidate, ct) =>
            await tombstones.IsTombstonedAsync(candidate.ContactKey!, ct) ? Verdict.Erased
            : (await ledger.GetHeadAsync(candidate.ContactKey!, purpose, ct)).Status switch
            {
                ConsentStatus.Confirmed => Verdict.Eligible,
                ConsentStatus.Withdrawn => Verdict.Withdrawn,
                _ => marketing ? Verdict.NoConsent : Verdict.Eligible,
            }, cancellationToken);

        var eligible = new List<CampaignRecipient>();
        for (var i = 0; i < unique.Count; i++)
        {
            if (verdicts[i] == Verdict.Eligible)
            {
                eligible.Add(new CampaignRecipient(unique[i].ContactKey!, unique[i].Parameters));
            }
        }

        var excluded = new CampaignExclusions(
            NoConsent: verdicts.Count(v => v == Verdict.NoConsent),
            Withdrawn: verdicts.Count(v => v == Verdict.Withdrawn),
            Erased: verdicts.Count(v => v == Verdict.Erased),
            UnknownContact: unknown,
            Duplicate: duplicate);
        return new Result(eligible, excluded, candidates.Count);
    }

    private static async Task<TResult[]> MapAsync<T, TResult>(IReadOnlyList<T> items, Func<T, CancellationToken, Task<TResult>> map, CancellationToken cancellationToken)
    {
        var results = new TResult[items.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, items.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await map(items[i], ct));
        return results;
    }

    private enum Verdict
    {
        Eligible,
        NoConsent,
        Withdrawn,
        Erased,
    }
}
