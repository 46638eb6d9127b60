namespace Messaging.Shared.Consent.Sending;

/// <summary>Facts about the recipient that the caller looked up before asking <see cref="SendPolicy"/>.</summary>
/// <param name="ServiceWindowOpen">The contact messaged us within the last 24 hours (free-form is allowed only then).</param>
/// <param name="ContactErased">The contact is erased, erasure was requested, or the contact is otherwise suppressed.</param>
/// <param name="OptOutConfirmationSent">The one confirmation after the current withdrawal has already gone out.</param>
public sealed record SendContext(bool ServiceWindowOpen, bool ContactErased, bool OptOutConfirmationSent = false);
