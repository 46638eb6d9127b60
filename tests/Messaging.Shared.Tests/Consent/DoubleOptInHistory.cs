using Messaging.Shared.Consent.OptIn;
using static Messaging.Shared.Tests.Consent.ConsentTestData;

namespace Messaging.Shared.Tests.Consent;

/// <summary>A sequence of inputs as a host might feed them to the double opt-in decider.</summary>
public sealed record DoubleOptInHistory(IReadOnlyList<DoubleOptInInput> Inputs)
{
    public override string ToString() => string.Join(" | ", Inputs.Select(i => $"{i.GetType().Name}@{(i.At - T0).TotalSeconds}"));
}
