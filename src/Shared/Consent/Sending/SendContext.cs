namespace Messaging.Shared.Consent.Sending;

/// <summary>Facts about the recipient that the caller looked up before asking <see cref="SendPolicy"/>.</summary>
/// <param name="ServiceWindowOpen">The contact messaged us within the last 24 hours (free-form is allowed only then).</param>
/// <param name="ContactErased">The contact is erased, erasure was requested, or the contact is otherwise suppressed.</param>
/// <remarks>
/// That a STOP is confirmed once is not a fact the caller looks up: the confirmation's send id derives from the STOP
/// message, so the outbox answers a redelivered STOP with <see cref="SendDecisionReason.AlreadySettled"/>.
/// </remarks>
public sealed record SendContext(bool ServiceWindowOpen, bool ContactErased);
