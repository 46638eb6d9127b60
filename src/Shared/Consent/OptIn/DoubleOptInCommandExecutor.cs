using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Outbound;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// Sends the confirmation template (through the consent gate, so it goes out only while the request is pending)
/// and appends ledger events. Transient delivery problems throw, so the host retries the same command; final
/// refusals come back as a result the decider turns into a failed request.
/// </summary>
public sealed class DoubleOptInCommandExecutor(ConsentLedger ledger, ConsentGuardedSender sender, IOptions<DoubleOptInOptions> options)
    : IDoubleOptInCommandExecutor
{
    public async Task<DoubleOptInCommandResult> ExecuteAsync(DoubleOptInCommand command, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case DoubleOptInCommand.AppendConsentEvent append:
                await ledger.AppendAsync(append.ContactKey, append.Event, cancellationToken);
                return DoubleOptInCommandResult.None;

            case DoubleOptInCommand.SendConfirmationTemplate send:
                var template = OutboundMessage.FromTemplate(
                    options.Value.TemplateName,
                    options.Value.TemplateLanguage,
                    TemplateComponent.QuickReplyButton(0, DoubleOptInReplies.ButtonPayload(send.RequestId, ReplyKind.Confirm)),
                    TemplateComponent.QuickReplyButton(1, DoubleOptInReplies.ButtonPayload(send.RequestId, ReplyKind.Decline)));
                var result = await sender.SendAsync(send.CommandId, send.ContactKey, send.Purpose, MessageKind.ConsentConfirmationRequest, template, cancellationToken);
                if (!result.Decision.Allowed)
                {
                    return DoubleOptInCommandResult.FailedWith("refused:" + result.Decision.Reason);
                }

                return result.Outbound!.Status switch
                {
                    OutboundStatus.Sent => DoubleOptInCommandResult.SentWith(result.Outbound.CallbackId),
                    _ when result.Outbound.IsRetryable => throw new DoubleOptInRetryException($"Confirmation send is retryable ({result.Outbound.Category})."),
                    _ => DoubleOptInCommandResult.FailedWith($"{result.Outbound.Status}:{result.Outbound.Category}:{result.Outbound.ErrorCode}"),
                };

            default:
                // Timers and completion belong to the host that drives the workflow.
                return DoubleOptInCommandResult.None;
        }
    }
}
