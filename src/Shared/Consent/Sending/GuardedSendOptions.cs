namespace Messaging.Shared.Consent.Sending;

/// <summary>How a caller of <see cref="ConsentGuardedSender"/> knows its send.</summary>
/// <param name="LikelyNew">The caller's own records say the send was never tried; repeats are still caught, only later.</param>
/// <param name="Tag">What the send belongs to (e.g. <c>campaign:{id}</c>), kept on its outbox row; no personal data.</param>
public sealed record GuardedSendOptions(bool LikelyNew = false, string? Tag = null)
{
    public static GuardedSendOptions Default { get; } = new();
}
