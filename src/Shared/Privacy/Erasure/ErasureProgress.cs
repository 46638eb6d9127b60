namespace Messaging.Shared.Privacy.Erasure;

/// <summary>What every erasure state carries: who, why, since when, and what has been done so far.</summary>
public sealed record ErasureProgress(string RequestId, string ContactKey, string Channel, bool NotifyContact, DateTimeOffset RequestedAt, ErasureReport Report);
