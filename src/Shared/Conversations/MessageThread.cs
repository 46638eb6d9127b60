using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Messaging.Shared.Contacts;
using Messaging.Shared.Messages;

namespace Messaging.Shared.Conversations;

/// <summary>
/// Reads a contact's thread from the message store, both directions, decrypted for the caller. Pages go backwards
/// in time (<c>before</c> = the cursor of the oldest message already shown) and are ordered oldest first.
/// </summary>
public sealed class MessageThread(MessageStore messages, ContactKeyring keyring)
{
    private static readonly string[] MediaTypes = ["image", "document", "audio", "video", "sticker"];

    public async Task<(IReadOnlyList<ThreadMessage> Items, string? Next)> PageAsync(string contactKey, string? before, int limit, CancellationToken cancellationToken)
    {
        var boundary = before is null ? null : DecodeCursor(before);
        var rows = new List<(DateTimeOffset At, TableEntity Row)>();
        await foreach (var row in messages.ListAsync(contactKey, cancellationToken))
        {
            if (row.GetString("Direction") is not ("in" or "out"))
            {
                continue;
            }

            var at = row.GetDateTimeOffset("SentAt") ?? row.GetDateTimeOffset("SentStatusAt") ?? row.Timestamp ?? DateTimeOffset.MinValue;
            if (boundary is { } b && (at.UtcTicks > b.Ticks || (at.UtcTicks == b.Ticks && string.CompareOrdinal(row.RowKey, b.RowKey) >= 0)))
            {
                continue;
            }

            rows.Add((at, row));
        }

        rows.Sort((x, y) => x.At != y.At ? x.At.CompareTo(y.At) : string.CompareOrdinal(x.Row.RowKey, y.Row.RowKey));
        var page = rows.Skip(Math.Max(0, rows.Count - limit)).ToList();
        var next = rows.Count > limit ? EncodeCursor(page[0].At.UtcTicks, page[0].Row.RowKey) : null;
        var items = new List<ThreadMessage>(page.Count);
        foreach (var (at, row) in page)
        {
            items.Add(await ToMessageAsync(contactKey, at, row, cancellationToken));
        }

        return (items, next);
    }

    public static bool IsCursor(string value) => DecodeCursor(value) is not null;

    private async Task<ThreadMessage> ToMessageAsync(string contactKey, DateTimeOffset at, TableEntity row, CancellationToken cancellationToken)
    {
        var direction = row.GetString("Direction")!;
        var type = row.GetString("Type") ?? "text";
        var text = await keyring.OpenAsync(contactKey, "text", row.GetBinary("Text"), cancellationToken);
        string? caption = null;
        ThreadMedia? media = null;
        string? replyTo = null;
        if (direction == "in" && await keyring.OpenAsync(contactKey, "message", row.GetBinary("Raw"), cancellationToken) is { } raw)
        {
            (caption, media, replyTo) = ReadRaw(raw, type, messages);
        }

        var status = direction == "in" ? "received" : row.GetString("Status") ?? "accepted";
        return new ThreadMessage(row.RowKey, direction, type, text, caption, media, at, status, replyTo);
    }

    private static (string? Caption, ThreadMedia? Media, string? ReplyTo) ReadRaw(string raw, string type, MessageStore messages)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
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

            string? replyTo = root.TryGetProperty("context", out var context) && context.TryGetProperty("id", out var contextId) && contextId.GetString() is { } wamid
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
