using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Messaging.Shared.Contacts;
using Messaging.Shared.Messages;
using Messaging.Shared.Outbound;

namespace Messaging.Shared.Conversations;

/// <summary>
/// Reads a contact's thread from the message store, both directions, decrypted for the caller. Pages go backwards
/// in time (<c>before</c> = the cursor of the oldest message already shown) and are ordered oldest first.
/// One partition query with only the shown columns, the contact's data key fetched once alongside it; sealed text is
/// opened only for the messages of the page, and the sealed raw JSON only for media or for rows stored before the
/// reply-to column existed. Edits and revokes show on the original message (<see cref="MessageStore.ApplyRevisionAsync"/>
/// keeps them there). An agent's queued reply (<c>o-</c> row) takes the ticks of its send's status row, which then is
/// not shown a second time.
/// </summary>
public sealed class MessageThread(MessageStore messages, ContactKeyring keyring, OutboxStore outbox)
{
    private static readonly string[] MediaTypes = ["image", "document", "audio", "video", "sticker"];

    private static readonly string[] Columns =
    [
        "RowKey", "Direction", "Type", "SentAt", "SentStatusAt", "ReceivedAt", "Text", "Raw", "Status", "CallbackId",
        "ReplyTo", MessageStore.ReplyToKnownColumn, "EditedAt", "RevokedAt",
    ];

    public async Task<(IReadOnlyList<ThreadMessage> Items, string? Next)> PageAsync(string contactKey, string? before, int limit, CancellationToken cancellationToken)
    {
        var boundary = before is null ? null : DecodeCursor(before);
        var keyTask = keyring.GetAsync(contactKey, cancellationToken);
        var rows = new List<(DateTimeOffset At, TableEntity Row)>();
        var queued = new HashSet<string>(StringComparer.Ordinal);
        var statusOfSend = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in messages.ListAsync(contactKey, Columns, cancellationToken))
        {
            if (row.GetString("Direction") is not ("in" or "out"))
            {
                continue;
            }

            if (row.GetString("CallbackId") is { } callbackId)
            {
                if (row.RowKey.StartsWith(MessageStore.QueuedRowPrefix, StringComparison.Ordinal))
                {
                    queued.Add(callbackId);
                }
                else if (row.GetString("Status") is { } status)
                {
                    statusOfSend[callbackId] = status;
                }
            }

            var at = row.GetDateTimeOffset("SentAt") ?? row.GetDateTimeOffset("SentStatusAt") ?? row.GetDateTimeOffset("ReceivedAt") ?? row.Timestamp ?? DateTimeOffset.MinValue;
            if (boundary is { } b && (at.UtcTicks > b.Ticks || (at.UtcTicks == b.Ticks && string.CompareOrdinal(row.RowKey, b.RowKey) >= 0)))
            {
                continue;
            }

            rows.Add((at, row));
        }

        // A queued reply and its send's status row are one message: the queued row (it holds the text) stays.
        rows.RemoveAll(r => !r.Row.RowKey.StartsWith(MessageStore.QueuedRowPrefix, StringComparison.Ordinal)
            && r.Row.GetString("CallbackId") is { } id && queued.Contains(id));
        rows.Sort((x, y) => x.At != y.At ? x.At.CompareTo(y.At) : string.CompareOrdinal(x.Row.RowKey, y.Row.RowKey));
        var page = rows.Skip(Math.Max(0, rows.Count - limit)).ToList();
        var next = rows.Count > limit ? EncodeCursor(page[0].At.UtcTicks, page[0].Row.RowKey) : null;
        var key = await keyTask;
        var items = new List<ThreadMessage>(page.Count);
        foreach (var (at, row) in page)
        {
            var status = row.GetString("CallbackId") is { } callbackId && row.RowKey.StartsWith(MessageStore.QueuedRowPrefix, StringComparison.Ordinal)
                ? statusOfSend.GetValueOrDefault(callbackId) ?? await QueuedStatusAsync(contactKey, callbackId, cancellationToken)
                : null;
            items.Add(ToMessage(contactKey, key, at, row, status));
        }

        return (items, next);
    }

    public static bool IsCursor(string value) => DecodeCursor(value) is not null;

    // No status webhook yet: the outbox knows whether the send failed for good (e.g. Meta refused it).
    private async Task<string> QueuedStatusAsync(string contactKey, string callbackId, CancellationToken cancellationToken) =>
        (await outbox.GetAsync(contactKey, callbackId, cancellationToken))?.State switch
        {
            nameof(OutboxState.Sent) => "sent",
            nameof(OutboxState.Failed) => "failed",
            _ => "accepted",
        };

    private ThreadMessage ToMessage(string contactKey, byte[]? key, DateTimeOffset at, TableEntity row, string? sendStatus)
    {
        var direction = row.GetString("Direction")!;
        var type = row.GetString("Type") ?? "text";
        var revoked = row.GetDateTimeOffset("RevokedAt") is not null;
        var editedAt = row.GetDateTimeOffset("EditedAt");
        var text = ContactKeyring.OpenWith(key, contactKey, "text", row.GetBinary("Text"));
        string? caption = null;
        ThreadMedia? media = null;
        var replyTo = row.GetString("ReplyTo");
        var replyToKnown = row.GetBoolean(MessageStore.ReplyToKnownColumn) == true;
        if (direction == "in" && !revoked && (MediaTypes.Contains(type) || !replyToKnown || editedAt is not null)
            && ContactKeyring.OpenWith(key, contactKey, "message", row.GetBinary("Raw")) is { } raw)
        {
            string? rawReplyTo;
            (caption, media, rawReplyTo) = ReadRaw(raw, type, messages);
            // Meta's edit points its context at the message it edits: that is no reply.
            replyTo ??= rawReplyTo == row.RowKey ? null : rawReplyTo;
        }

        var status = direction == "in" ? "received" : sendStatus ?? row.GetString("Status") ?? "accepted";
        return new ThreadMessage(row.RowKey, direction, type, revoked ? null : text, caption, media, at, status, replyTo,
            Edited: editedAt is not null && !revoked, Revoked: revoked);
    }

    private static (string? Caption, ThreadMedia? Media, string? ReplyTo) ReadRaw(string raw, string type, MessageStore messages)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
            // An edit's raw JSON holds the new version of the message under "edit.message" (Meta's shape).
            if (root.TryGetProperty("edit", out var edit) && edit.ValueKind == JsonValueKind.Object
                && edit.TryGetProperty("message", out var edited) && edited.ValueKind == JsonValueKind.Object)
            {
                root = edited;
            }

            string? caption = null;
            ThreadMedia? media = null;
            if (MediaTypes.Contains(type) && root.TryGetProperty(type, out var body) && body.ValueKind == JsonValueKind.Object)
            {
                if (body.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    media = new ThreadMedia(id.GetString()!, body.TryGetProperty("mime_type", out var mime) ? mime.GetString() : null);
                }

                caption = body.TryGetProperty("caption", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            }

            string? replyTo = root.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object
                && context.TryGetProperty("id", out var contextId) && contextId.ValueKind == JsonValueKind.String && contextId.GetString() is { } wamid
                ? messages.RowKeyOf(wamid)
                : null;
            return (caption, media, replyTo);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    private static string EncodeCursor(long ticks, string rowKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(ticks.ToString(CultureInfo.InvariantCulture) + "|" + rowKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (long Ticks, string RowKey)? DecodeCursor(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return bar > 0 && long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                ? (ticks, text[(bar + 1)..])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
