using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Outbound;
using Messaging.Shared.Privacy.Requests;
using Messaging.Shared.Security;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Privacy.Keywords;

/// <summary>
/// Erasure and access asked for in WhatsApp: a keyword gets a question with "yes"/"no" buttons, and only the tap on
/// "yes" records a request (channel "whatsapp"), so a stray word deletes nothing. Every id is derived from the
/// triggering message, so a redelivered keyword asks once and a redelivered tap records one request.
/// </summary>
public sealed class DataSubjectInboundObserver(
    DataSubjectRequests requests,
    ConsentGuardedSender sender,
    KeyedHasher hasher,
    IOptions<DataSubjectKeywordOptions> options,
    ILogger<DataSubjectInboundObserver> logger) : IInboundObserver
{
    public const string PayloadPrefix = "dsr:";
    private const string Yes = "yes";
    private const string No = "no";

    public static string Payload(string kind, string answer) => $"{PayloadPrefix}{kind}:{answer}";

    public async Task OnMessageAsync(string contactKey, InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var evidence = hasher.Hash("evidence:wamid", message.MessageId);
        if ((message.InteractiveReplyId ?? message.ButtonPayload) is { } payload && payload.StartsWith(PayloadPrefix, StringComparison.Ordinal))
        {
            await AnsweredAsync(contactKey, payload, message, evidence, cancellationToken);
            return;
        }

        if (message.Type != "text" || KindOf(message.Text) is not { } kind)
        {
            return;
        }

        var question = kind == DataSubjectRequestKinds.Erasure ? options.Value.EraseQuestion : options.Value.AccessQuestion;
        await SendAsync(
            $"dsr-question:{evidence}",
            contactKey,
            OutboundMessage.FromReplyButtons(question, (Payload(kind, Yes), "Ja / Yes"), (Payload(kind, No), "Nein / No")),
            cancellationToken);
    }

    private async Task AnsweredAsync(string contactKey, string payload, InboundMessage message, string evidence, CancellationToken cancellationToken)
    {
        var parts = payload.Split(':');
        if (parts.Length != 3 || !DataSubjectRequestKinds.Kinds.Contains(parts[1]) || parts[2] != Yes)
        {
            return;
        }

        var (accepted, _) = await requests.ReceiveAsync(
            new DataSubjectRequestBody(parts[1], null, contactKey, "whatsapp", message.Timestamp > DateTimeOffset.UnixEpoch ? message.Timestamp : null),
            "whatsapp:" + evidence,
            cancellationToken);
        logger.LogInformation("Data-subject request {RequestId} ({Kind}) from contact {ContactKey} in WhatsApp", accepted?.RequestId, parts[1], contactKey);

        // An erasure tells the person itself when it is done; an access request is confirmed now.
        if (parts[1] == DataSubjectRequestKinds.Access)
        {
            await SendAsync($"dsr-received:{evidence}", contactKey, OutboundMessage.FromText(options.Value.Received), cancellationToken);
        }
    }

    private string? KindOf(string? text)
    {
        if (WholeMessageText.Normalize(text) is not { } said)
        {
            return null;
        }

        if (options.Value.EffectiveErase.Any(k => WholeMessageText.Normalize(k) == said))
        {
            return DataSubjectRequestKinds.Erasure;
        }

        return options.Value.EffectiveAccess.Any(k => WholeMessageText.Normalize(k) == said) ? DataSubjectRequestKinds.Access : null;
    }

    private async Task SendAsync(string sendId, string contactKey, OutboundMessage message, CancellationToken cancellationToken)
    {
        var result = await sender.SendAsync(sendId, contactKey, ConsentPurpose.Marketing, MessageKind.ServiceText, message, cancellationToken);
        if (result.Decision.Allowed && !result.Sent)
        {
            logger.LogWarning("Data-subject reply to contact {ContactKey} not sent: {Status}", contactKey, result.Outbound?.Status);
        }
    }
}
