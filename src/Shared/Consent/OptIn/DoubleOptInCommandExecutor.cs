using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Outbound;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// Runs the double opt-in's effects on either host: sends the confirmation template (through the consent gate, so it
/// goes out only while the request is pending) and appends ledger events. A passing delivery problem throws, so the
/// host retries the same command; a final refusal comes back as the input that closes the request.
/// </summary>
public sealed class DoubleOptInCommandExecutor(ConsentLedger ledger, ConsentGuardedSender sender, IOptions<DoubleOptInOptions> options, TimeProvider time)
    : IWorkflowEffects<DoubleOptInCommand, DoubleOptInInput>
{
    public async Task<DoubleOptInInput?> ExecuteAsync(DoubleOptInCommand effect, CancellationToken cancellationToken)
    {
        switch (effect)
        {
            case DoubleOptInCommand.AppendConsentEvent append:
                await ledger.AppendAsync(append.ContactKey, append.Event, cancellationToken);
                return null;

            case DoubleOptInCommand.SendConfirmationTemplate send:
                var template = OutboundMessage.FromTemplate(
                    options.Value.TemplateName,
                    options.Value.TemplateLanguage,
                    TemplateComponent.QuickReplyButton(0, DoubleOptInReplies.ButtonPayload(send.RequestId, ReplyKind.Confirm)),
                    TemplateComponent.QuickReplyButton(1, DoubleOptInReplies.ButtonPayload(send.RequestId, ReplyKind.Decline)));
                var result = await sender.SendAsync(send.CommandId, send.ContactKey, send.Purpose, MessageKind.ConsentConfirmationRequest, template, cancellationToken);
                if (!result.Decision.Allowed)
                {
                    return new DoubleOptInInput.ConfirmationFailed("refused:" + result.Decision.Reason, time.GetUtcNow());
                }

                return result.Outbound!.Status switch
                {
                    OutboundStatus.Sent => new DoubleOptInInput.ConfirmationSent(result.Outbound.CallbackId, time.GetUtcNow()),
                    _ when result.Outbound.IsRetryable => throw new WorkflowRetryException($"Confirmation send is retryable ({result.Outbound.Category})."),
                    _ => new DoubleOptInInput.ConfirmationFailed($"{result.Outbound.Status}:{result.Outbound.Category}:{result.Outbound.ErrorCode}", time.GetUtcNow()),
                };

            default:
                throw new ArgumentOutOfRangeException(nameof(effect), effect.GetType().Name, "Not a double opt-in effect.");
        }
    }
}
