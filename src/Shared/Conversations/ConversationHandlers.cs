using System.Globalization;
using Messaging.Shared.Campaigns;
using Messaging.Shared.Campaigns.Templates;
using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Contacts;
using Messaging.Shared.Http;
using Messaging.Shared.Messages;
using Messaging.Shared.Outbound;
using Messaging.Shared.Privacy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Conversations;

/// <summary>
/// The conversation API for both hosts. Replies go onto the outbound send queue, then through the consent gate and the
/// outbox like every other send, under a send id derived from the Idempotency-Key, so a retried request never sends
/// twice; the queued content is sealed with the contact's key. The gate is asked before queueing too, so a refusal is
/// a 409 with a <c>reason</c> the inbox shows. Responses carry decrypted text; nothing here logs content.
/// </summary>
public sealed class ConversationHandlers(
    ConversationStore conversations,
    MessageThread thread,
    ConsentGuardedSender sender,
    IOutboundSendQueue queue,
    OutboxStore outbox,
    MessageStore messages,
    ContactKeyring keyring,
    IContactDirectory contacts,
    ContactTombstones tombstones,
    IOptionsMonitor<ConversationOptions> options,
    MediaProxy media,
    TimeProvider time,
    MessageTemplateCatalog? catalog = null)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int PageSize = 50;
    public const int DefaultMessageLimit = 50;
    public const int MaxMessageLimit = 200;
    public const int MaxTextLength = 4096;

    public async Task<Results<Ok<ConversationPage>, ValidationProblem>> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var status = request.Query["status"].ToString();
        if (status.Length == 0)
        {
            status = ConversationStatus.Open;
        }

        if (status is not (ConversationStatus.Open or ConversationStatus.Closed or ConversationStatus.All))
        {
            return Invalid("status", "open, closed or all.");
        }

        var cursor = request.Query["cursor"].ToString();
        if (cursor.Length > 0 && !IsIndexKey(cursor))
        {
            return Invalid("cursor", "Pass the nextCursor of the previous page.");
        }

        var (items, next) = await conversations.ListAsync(status == ConversationStatus.All ? null : status, cursor.Length > 0 ? cursor : null, PageSize, cancellationToken);
        return TypedResults.Ok(new ConversationPage(items, next));
    }

    public async Task<Results<Ok<MessagePage>, NotFound, ValidationProblem>> ListMessagesAsync(HttpRequest request, string contactKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsContactKey(contactKey))
        {
            return Invalid("contactKey", "Not a contact key.");
        }

        var before = request.Query["before"].ToString();
        if (before.Length > 0 && !MessageThread.IsCursor(before))
        {
            return Invalid("before", "Pass the nextCursor of the previous page.");
        }

        var limit = DefaultMessageLimit;
        var limitText = request.Query["limit"].ToString();
        if (limitText.Length > 0 && !(int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxMessageLimit))
        {
            return Invalid("limit", $"A whole number from 1 to {MaxMessageLimit}.");
        }

        var (items, next) = await thread.PageAsync(contactKey, before.Length > 0 ? before : null, limit, cancellationToken);
        if (items.Count == 0 && before.Length == 0 && await conversations.GetAsync(contactKey, cancellationToken) is null
            && await contacts.GetAddressAsync(contactKey, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new MessagePage(items, next));
    }

    public async Task<Results<Accepted<SendAccepted>, NotFound, ValidationProblem, ProblemHttpResult>> SendAsync(HttpRequest request, string contactKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsContactKey(contactKey))
        {
            return Invalid("contactKey", "Not a contact key.");
        }

        if (await JsonRequestBody.ReadAsync<SendMessageBody>(request, cancellationToken) is not { } body)
        {
            return JsonRequestBody.Invalid();
        }

        var idempotencyKey = request.Headers[IdempotencyKeyHeader].ToString();
        if (idempotencyKey.Length > 128 || idempotencyKey.Any(c => c < 0x21 || c > 0x7e))
        {
            return Invalid(IdempotencyKeyHeader, "At most 128 visible ASCII characters.");
        }

        var (message, kind, preview, problem) = await ComposeAsync(body, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (await tombstones.IsTombstonedAsync(contactKey, cancellationToken))
        {
            return Refused("erased", "The contact is erased; nothing may be sent.");
        }

        if (await contacts.GetAddressAsync(contactKey, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var sendId = "conversation:" + contactKey + ":" + (idempotencyKey.Length > 0 ? idempotencyKey : Guid.NewGuid().ToString("N"));
        var callbackId = outbox.SendKey(sendId);
        var accepted = TypedResults.Accepted((string?)null, new SendAccepted(MessageStore.QueuedRowPrefix + callbackId, "accepted"));

        // A retried request whose reply is queued already skips the checks (the gate checks again when the send runs)
        // and queues it again in case the first attempt stopped before queueing; the outbox sends it once.
        if (!await messages.ExistsAsync(contactKey, MessageStore.QueuedRowPrefix + callbackId, cancellationToken))
        {
            // Asking the gate now gives the agent the reason at once instead of a send that silently never happens.
            var decision = await sender.DecideAsync(contactKey, ConsentPurpose.Marketing, kind, cancellationToken);
            if (!decision.Allowed)
            {
                return decision.Reason switch
                {
                    SendDecisionReason.ServiceWindowClosed => Refused("service_window_closed", "More than 24 hours since the customer last wrote: send an approved template instead."),
                    SendDecisionReason.ContactErased => Refused("erased", "The contact is erased; nothing may be sent."),
                    _ => Refused("no_consent", "No confirmed consent for marketing messages to this contact."),
                };
            }

            if (await messages.StoreQueuedOutboundAsync(contactKey, callbackId, message!.Type, preview!, cancellationToken))
            {
                await conversations.NoteOutboundAsync(contactKey, time.GetUtcNow(), preview!, cancellationToken);
            }
        }

        var sealedContent = await keyring.SealAsync(contactKey, OutboundSendCommand.SealedField, OutboundSendCommand.SealContent(message!), cancellationToken);
        await queue.EnqueueAsync(OutboundSendCommand.ForSealed(sendId, contactKey, ConsentPurpose.Marketing, kind, sealedContent, time.GetUtcNow()), TimeSpan.Zero, cancellationToken);
        return accepted;
    }

    public async Task<Results<Ok<Conversation>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(HttpRequest request, string contactKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsContactKey(contactKey))
        {
            return Invalid("contactKey", "Not a contact key.");
        }

        if (await JsonRequestBody.ReadAsync<UpdateConversationBody>(request, cancellationToken) is not { } body)
        {
            return JsonRequestBody.Invalid();
        }

        var errors = new Dictionary<string, string[]>();
        if (body.Status is not null && !ConversationStatus.IsSettable(body.Status))
        {
            errors["status"] = ["open or closed."];
        }

        if (body.AssignedTo is { Length: > 100 })
        {
            errors["assignedTo"] = ["At most 100 characters (empty unassigns)."];
        }

        if (body.Labels is { } labels && (labels.Count > 20 || labels.Any(l => string.IsNullOrWhiteSpace(l) || l.Length > 40)))
        {
            errors["labels"] = ["At most 20 labels of 1 to 40 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await conversations.UpdateAsync(contactKey, body.Status, body.AssignedTo, body.Labels?.Distinct(StringComparer.Ordinal).ToList(), cancellationToken))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok((await conversations.GetAsync(contactKey, cancellationToken))!);
    }

    public async Task<Results<NoContent, NotFound, ValidationProblem>> MarkReadAsync(string contactKey, CancellationToken cancellationToken)
    {
        if (!IsContactKey(contactKey))
        {
            return Invalid("contactKey", "Not a contact key.");
        }

        return await conversations.MarkReadAsync(contactKey, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    /// <summary>Streams an inbound attachment from Meta; nothing is stored.</summary>
    public async Task<Results<FileStreamHttpResult, NotFound, ValidationProblem>> MediaAsync(string mediaId, CancellationToken cancellationToken)
    {
        if (mediaId is not { Length: > 0 and <= 128 } || !mediaId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return Invalid("mediaId", "Not a media id.");
        }

        return await media.OpenAsync(mediaId, cancellationToken) is { } opened
            ? TypedResults.Stream(opened.Content, opened.MimeType)
            : TypedResults.NotFound();
    }

    private async Task<(OutboundMessage? Message, MessageKind Kind, string? Preview, ProblemHttpResult? Problem)> ComposeAsync(SendMessageBody body, CancellationToken cancellationToken)
    {
        if ((body.Text is null) == (body.Template is null))
        {
            return (null, default, null, TypedResults.Problem("Give either text or template.", statusCode: StatusCodes.Status400BadRequest));
        }

        if (body.Text is { } text)
        {
            return string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength
                ? (null, default, null, TypedResults.Problem($"text must hold 1 to {MaxTextLength} characters.", statusCode: StatusCodes.Status400BadRequest))
                : (OutboundMessage.FromText(text), MessageKind.ServiceText, text, null);
        }

        var template = body.Template!;
        if (string.IsNullOrWhiteSpace(template.Name) || template.Name.Length > 512 || string.IsNullOrWhiteSpace(template.Language) || template.Language.Length > 15
            || template.Parameters is { Count: > 20 } || template.Parameters?.Any(p => p is null || p.Length > 1024) == true)
        {
            return (null, default, null, TypedResults.Problem("template needs a name, a language and at most 20 parameters of up to 1024 characters.", statusCode: StatusCodes.Status400BadRequest));
        }

        // The category decides whether marketing consent is needed: from settings when listed there, else from the
        // business account's templates (GET /api/templates). A template we know nothing about counts as marketing.
        var category = options.CurrentValue.Templates.FirstOrDefault(t => t.Name == template.Name && t.Language == template.Language)?.Category
            ?? await GraphCategoryAsync(template.Name, template.Language, cancellationToken);
        var kind = string.Equals(category, "utility", StringComparison.OrdinalIgnoreCase) ? MessageKind.Utility : MessageKind.Marketing;
        var components = template.Parameters is { Count: > 0 } parameters
            ? new[] { TemplateComponent.Body([.. parameters]) }
            : [];
        var preview = $"[template {template.Name}]";
        return (OutboundMessage.FromTemplate(template.Name, template.Language, components), kind, preview, null);
    }

    private async Task<string?> GraphCategoryAsync(string name, string language, CancellationToken cancellationToken)
    {
        if (catalog is null)
        {
            return null;
        }

        try
        {
            return await catalog.FindAsync(new CampaignTemplateRef(name, language), cancellationToken) is { IsApproved: true } found ? found.Category : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static ProblemHttpResult Refused(string reason, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Not sent", extensions: new Dictionary<string, object?> { ["reason"] = reason });

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static bool IsContactKey(string? value) =>
        value is { Length: > 0 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static bool IsIndexKey(string value) =>
        value.Length is > 20 and <= 100 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
