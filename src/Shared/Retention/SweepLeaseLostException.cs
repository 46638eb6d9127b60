namespace Messaging.Shared.Retention;

/// <summary>The sweep stalled past its lease and another took over; it stops, and the holder carries on.</summary>
public sealed class SweepLeaseLostException() : Exception("The retention sweep lease was taken over by another sweep.");
