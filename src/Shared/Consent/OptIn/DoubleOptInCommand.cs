using System.Text.Json.Serialization;

using Messaging.Shared.Consent.Ledger;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// The effects a double opt-in owes the outside world; deadlines and completion are the kernel's business
/// (<see cref="DoubleOptIn.Deadline"/>, <see cref="DoubleOptIn.IsTerminal"/>). Each command has a <see cref="CommandId"/> derived from the request id
/// and the step, unique within one opt-in and the same on every run, so a host that delivers at least once can
/// recognise a command it already executed.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(DoubleOptInCommand.SendConfirmationTemplate), "sendConfirmationTemplate")]
[JsonDerivedType(typeof(DoubleOptInCommand.AppendConsentEvent), "appendConsentEvent")]
public abstract record DoubleOptInCommand
{
    private DoubleOptInCommand(string commandId) => CommandId = commandId;

    public string CommandId { get; init; }

    /// <summary>
    /// Send the confirmation template, with quick-reply payloads from <see cref="DoubleOptInReplies.ButtonPayload"/>.
    /// The host still asks <see cref="Sending.SendPolicy"/> first (the ledger may have refused the request, e.g. because
    /// consent is already confirmed, or the contact may be erased) and feeds a refusal back as
    /// <see cref="DoubleOptInInput.ConfirmationFailed"/> with the policy's reason.
    /// </summary>
    public sealed record SendConfirmationTemplate(string CommandId, string RequestId, string ContactKey, string Purpose) : DoubleOptInCommand(CommandId);

    /// <summary>Append <paramref name="Event"/> to the contact's consent ledger (a no-op if its EventId is already there).</summary>
    public sealed record AppendConsentEvent(string CommandId, string ContactKey, ConsentEvent Event) : DoubleOptInCommand(CommandId);
}
