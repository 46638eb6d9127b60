using FsCheck;
using FsCheck.Fluent;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.OptIn;
using static Messaging.Shared.Tests.Consent.ConsentTestData;

namespace Messaging.Shared.Tests.Consent;

/// <summary>
/// Generators draw from small pools of request ids, times and event ids, so that duplicates, replays,
/// out-of-order events and same-second collisions are common rather than astronomically rare.
/// </summary>
public static class ConsentArbitraries
{
    private static readonly string[] RequestIds = ["r-1", "r-2", "r-3"];

    public static Arbitrary<LedgerHistory> LedgerHistories() =>
        Arb.From(LedgerEvent().ListOf().Select(events => new LedgerHistory([.. events])));

    public static Arbitrary<DoubleOptInHistory> DoubleOptInHistories() =>
        Arb.From(
            from first in Gen.Frequency((4, StartInput()), (1, DoubleOptInInputGen()))
            from rest in DoubleOptInInputGen().ListOf()
            select new DoubleOptInHistory([first, .. rest]));

    private static Gen<ConsentEvent> LedgerEvent() =>
        from kind in Gen.Choose(0, 5)
        from requestId in Gen.Elements(RequestIds)
        from at in Gen.Choose(0, 12)
        select kind switch
        {
            0 => (ConsentEvent)Requested(requestId, at, $"req-{requestId}-{at}"),
            1 => Confirmed(requestId, at, $"conf-{requestId}-{at}"),
            2 => new ConsentDeclined($"decl-{requestId}-{at}", Marketing, At(at), WebProof, requestId),
            3 => new ConsentExpired($"exp-{requestId}-{at}", Marketing, At(at), WebProof, requestId),
            4 => Withdrawn(at, $"wd-{at}"),
            _ => Granted(at, $"gr-{at}"),
        };

    private static Gen<DoubleOptInInput> StartInput() =>
        from requestId in Gen.Elements("r-1", "r-2")
        select (DoubleOptInInput)Request(requestId);

    /// <summary>Times cluster around the 24-hour deadline, a second either side of it included.</summary>
    private static Gen<DateTimeOffset> InputTime() =>
        from hours in Gen.Elements(0, 1, 12, 23, 24, 25, 48)
        from seconds in Gen.Elements(-1, 0, 1)
        select T0.AddHours(hours).AddSeconds(seconds);

    private static Gen<DoubleOptInInput> DoubleOptInInputGen() =>
        from kind in Gen.Choose(0, 6)
        from at in InputTime()
        from start in StartInput()
        select kind switch
        {
            0 => start,
            1 => new DoubleOptInInput.ConfirmationSent("hmac-out", at),
            2 => new DoubleOptInInput.ConfirmationFailed("meta-131026", at),
            3 => new DoubleOptInInput.ReplyReceived(ReplyKind.Confirm, "hmac-in", at),
            4 => new DoubleOptInInput.ReplyReceived(ReplyKind.Decline, "hmac-in", at),
            5 => new DoubleOptInInput.StopReceived("hmac-stop", at),
            _ => (DoubleOptInInput)new DoubleOptInInput.DeadlineReached(at),
        };
}
