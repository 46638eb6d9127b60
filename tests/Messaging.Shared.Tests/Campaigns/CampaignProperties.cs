using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Messaging.Shared.Campaigns;
using static Messaging.Shared.Tests.Campaigns.CampaignTestData;

namespace Messaging.Shared.Tests.Campaigns;

/// <summary>
/// The campaign decider in a model world under random schedules: page effects run once, twice, late or never,
/// operators pause, resume and cancel, recipients withdraw consent mid-campaign and Meta throttles, pauses templates
/// and refuses. Whatever the order, nobody gets two messages and nobody gets one without consent at that moment.
/// </summary>
public sealed class CampaignProperties
{
    private static readonly int[] MetaCodes = [0, 0, 0, 130429, 131056, 131049, 131050, 132015, 131026];

    public sealed record Schedule(int Recipients, IReadOnlyList<int> Steps, IReadOnlyDictionary<string, int[]> Meta);

    public static Arbitrary<Schedule> Schedules() => Arb.From(
        from recipients in Gen.Choose(0, 10)
        from steps in Gen.Choose(0, 99).ListOf()
        from codes in Gen.Elements(MetaCodes).ArrayOf().ArrayOf(10)
        select new Schedule(recipients, [.. steps], codes.Select((c, i) => (Key: $"ck-{i}", c)).ToDictionary(x => x.Key, x => x.c)));

    private static (CampaignWorld World, CampaignState State, List<CampaignEffect> Emitted) Run(Schedule schedule)
    {
        var world = new CampaignWorld(schedule.Recipients, schedule.Meta);
        var plan = new CampaignPlan("c-p", Template, "marketing", true, world.PageCount, schedule.Recipients);
        var state = Campaign.Evolve(Campaign.Initial, new CampaignInput.Created(plan, T0));
        var emitted = new List<CampaignEffect>();
        var owed = new List<CampaignEffect.SendPage>();
        var at = T0;

        void Apply(CampaignInput input)
        {
            var effects = Campaign.Decide(state, input);
            state = Campaign.Evolve(state, input);
            emitted.AddRange(effects);
            owed.AddRange(effects.OfType<CampaignEffect.SendPage>());
        }

        Apply(Start());
        foreach (var step in schedule.Steps.Concat(Enumerable.Repeat(0, 400)))
        {
            at = at.AddSeconds(30);
            switch (step % 10)
            {
                case <= 3 when owed.Count > 0:
                    var next = owed[0];
                    owed.RemoveAt(0);
                    Apply(world.RunPage(next, at));
                    break;
                case 4 when emitted.OfType<CampaignEffect.SendPage>().LastOrDefault() is { } again:
                    // A redelivered dispatch: the page runs again and its answer arrives again.
                    Apply(world.RunPage(again, at));
                    break;
                case 5:
                    Apply(new CampaignInput.PauseRequested("operator", at));
                    break;
                case 6 when schedule.Recipients > 0:
                    world.Consented.Remove($"ck-{step % schedule.Recipients}");
                    break;
                case 7 when step > 95:
                    Apply(new CampaignInput.CancelRequested(at));
                    break;
                default:
                    if (Campaign.Deadline(state) is { } due)
                    {
                        at = due > at ? due : at;
                        Apply(new CampaignInput.DeadlineReached(at));
                    }
                    else
                    {
                        Apply(new CampaignInput.ResumeRequested(at));
                    }

                    break;
            }
        }

        return (world, state, emitted);
    }

    [Property(Arbitrary = [typeof(CampaignProperties)], MaxTest = 300)]
    public bool Nobody_gets_two_messages_of_one_campaign(Schedule schedule)
    {
        var accepted = Run(schedule).World.Accepted;
        return accepted.Select(a => a.ContactKey).Distinct().Count() == accepted.Count;
    }

    [Property(Arbitrary = [typeof(CampaignProperties)], MaxTest = 300)]
    public bool Nobody_gets_a_message_without_consent_at_the_moment_of_sending(Schedule schedule) =>
        Run(schedule).World.Accepted.All(a => a.HadConsent);

    [Property(Arbitrary = [typeof(CampaignProperties)], MaxTest = 300)]
    public bool Every_dispatch_has_its_own_effect_id(Schedule schedule)
    {
        var ids = Run(schedule).Emitted.OfType<CampaignEffect.SendPage>().Select(e => e.EffectId).ToList();
        return ids.Distinct().Count() == ids.Count;
    }

    [Property(Arbitrary = [typeof(CampaignProperties)], MaxTest = 300)]
    public bool A_finished_campaign_counts_each_recipient_once_and_its_sent_count_is_what_meta_accepted(Schedule schedule)
    {
        var (world, state, _) = Run(schedule);
        var tally = Campaign.ProgressOf(state).Tally;
        return tally.Settled <= schedule.Recipients
            && (state is not CampaignState.Completed || (tally.Settled == schedule.Recipients && tally.Sent == world.Accepted.Count));
    }
}
