using System.Text.Json;
using FsCheck.Xunit;
using Messaging.Shared.Privacy.Erasure;
using static Messaging.Shared.Privacy.Erasure.ErasureEffect;
using static Messaging.Shared.Privacy.Erasure.ErasureInput;

namespace Messaging.Shared.Tests.Privacy;

/// <summary>
/// A simulated host answers each owed effect, while stray inputs (repeats, outcomes of other steps, a second request,
/// timers) arrive in between; the choices drive both which stray input comes and how many pages a store has.
/// </summary>
[Properties(MaxTest = 500)]
public sealed class ErasureProperties
{
    private static readonly DateTimeOffset T0 = ErasureTests.T0;

    private static string Json(ErasureState state) => JsonSerializer.Serialize(state, ErasureWorkflow.Json);

    private static ErasureInput Answer(ErasureEffect effect, int choice) => effect switch
    {
        Tombstone => new Tombstoned(T0),
        StopWorkflows => new WorkflowsStopped(choice % 3, T0),
        NotifyContact => new ContactNotified(choice % 2 == 0 ? "sent" : "skipped:window-closed", T0),
        DeleteRows d => new StoreCleared(d.Store, d.Page, choice % 100, More: d.Page < choice % 3, T0),
        ShredKey => new KeyShredded(T0),
        WriteReceipt => new ReceiptWritten(T0),
        _ => throw new ArgumentOutOfRangeException(nameof(effect)),
    };

    private static ErasureInput Stray(int choice) => (Math.Abs(choice) % 7) switch
    {
        0 => ErasureTests.Request(),
        1 => new Tombstoned(T0),
        2 => new WorkflowsStopped(5, T0),
        3 => new StoreCleared(ErasureStores.Messages, 7, 3, false, T0),
        4 => new KeyShredded(T0),
        5 => new DeadlineReached(T0),
        _ => new ContactNotified("sent", T0),
    };

    /// <summary>Runs to the end; every step as (state before, input, effects, state after).</summary>
    private static List<(ErasureState Before, ErasureInput Input, IReadOnlyList<ErasureEffect> Effects, ErasureState After)> Run(int[] choices, bool notify)
    {
        var steps = new List<(ErasureState, ErasureInput, IReadOnlyList<ErasureEffect>, ErasureState)>();
        var state = Erasure.Initial;
        var owed = new Queue<ErasureEffect>();
        var i = 0;
        void Apply(ErasureInput input)
        {
            var (next, effects) = Erasure.Decider.Apply(state, input);
            steps.Add((state, input, effects, next));
            foreach (var effect in effects)
            {
                owed.Enqueue(effect);
            }

            state = next;
        }

        Apply(ErasureTests.Request(notify));
        while (owed.Count > 0 && steps.Count < 1000)
        {
            var choice = choices.Length == 0 ? 0 : Math.Abs(choices[i++ % choices.Length]);
            if (choice % 4 == 0)
            {
                Apply(Stray(choice / 4));
            }

            Apply(Answer(owed.Dequeue(), choice));
        }

        return steps;
    }

    [Property]
    public bool An_erasure_always_completes_when_each_effect_is_answered(int[] choices, bool notify) =>
        Erasure.IsTerminal(Run(choices, notify)[^1].After);

    [Property]
    public bool Feeding_any_input_again_right_away_is_a_no_op(int[] choices, bool notify) =>
        Run(choices, notify).All(s => Erasure.Decide(s.After, s.Input).Count == 0 && Json(Erasure.Evolve(s.After, s.Input)) == Json(s.After));

    [Property]
    public bool Nothing_is_owed_after_completion_whatever_arrives(int[] choices, bool notify, int stray)
    {
        var done = Run(choices, notify)[^1].After;
        return Erasure.Decider.Apply(done, Stray(stray)).Effects.Count == 0 && Erasure.Decider.Apply(done, ErasureTests.Request()).Effects.Count == 0;
    }

    [Property]
    public bool The_steps_come_in_order_tombstone_first_key_shredded_after_every_deletion_receipt_last(int[] choices, bool notify)
    {
        var effects = Run(choices, notify).SelectMany(s => s.Effects).ToList();
        var kinds = effects.Select(e => e.GetType()).ToList();
        var lastDelete = kinds.FindLastIndex(k => k == typeof(DeleteRows));
        var shred = kinds.IndexOf(typeof(ShredKey));
        var deletedStores = effects.OfType<DeleteRows>().Select(d => d.Store).Distinct();
        return kinds[0] == typeof(Tombstone)
            && shred > lastDelete
            && kinds[^1] == typeof(WriteReceipt)
            && deletedStores.SequenceEqual(ErasureStores.Order)
            && kinds.Contains(typeof(NotifyContact)) == notify
            && (!notify || kinds.IndexOf(typeof(NotifyContact)) < kinds.IndexOf(typeof(DeleteRows)));
    }

    [Property]
    public bool Effect_ids_are_unique_within_a_run(int[] choices, bool notify)
    {
        var ids = Run(choices, notify).SelectMany(s => s.Effects).Select(e => e.EffectId).ToList();
        return ids.Count == ids.Distinct().Count();
    }
}
