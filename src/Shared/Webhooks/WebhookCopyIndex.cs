using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Contacts;
using Messaging.Shared.Retention;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Webhooks;

/// <summary>
/// Finds the copies of webhooks we hold (parked webhooks with their bodies, claim-check bodies, unhandled events) by
/// the people they name, so that erasure reaches them although they are sealed with the master key: a body can name
/// several people (Meta batches), so no single contact's key can seal it. Each copy is noted here before it is
/// written, once per identifier found in its JSON (wa_id, user_id and their kin, at any depth), under that
/// identifier's alias hash: the same keyed hash the alias index uses, computed without a storage call, so a copy is
/// found even when its sender became a contact only later. Rows hold kinds and opaque keys only; each is noted in the
/// retention index with its copy, so neither outlives the other. What names nobody readable (a body that is not
/// JSON) is not indexed: retention alone bounds it.
/// </summary>
public sealed class WebhookCopyIndex(StorageClients storage, KeyedHasher hasher, TimeProvider time, RetentionIndex? retention = null)
{
    public const string ParkedKind = "parked";
    public const string BodyKind = "body";
    public const string UnhandledKind = "unhandled";

    private const int PageSize = 100;

    private static readonly HashSet<string> PhoneFields = new(StringComparer.Ordinal)
    {
        "waid", "from", "recipientid", "recipientparticipantid", "newwaid", "personwaid", "participantwaid", "fromwaid",
    };

    private static readonly HashSet<string> UserFields = new(StringComparer.Ordinal)
    {
        "userid", "fromuserid", "recipientuserid", "recipientparticipantuserid", "parentuserid", "personuserid", "participantuserid",
    };

    private readonly TableClient _table = storage.Table(StorageNames.WebhookCopiesTable);

    /// <summary>Notes a copy under every identifier <paramref name="json"/> names; call it before the copy is written.</summary>
    /// <param name="partition">The copy's table partition (unhandled events), or "" for kinds keyed by envelope id alone.</param>
    /// <param name="id">The copy's row key or envelope id.</param>
    public async Task NoteAsync(ReadOnlyMemory<byte> json, string kind, string partition, string id, string retentionClass, CancellationToken cancellationToken)
    {
        var aliases = AliasesIn(json.Span);
        if (aliases.Count == 0)
        {
            return;
        }

        var rowKey = $"{kind}:{partition}:{id}";
        var now = time.GetUtcNow();
        // One partition per person, so no batch can take them: side by side, since a claim check is noted on the ack path.
        await Parallel.ForEachAsync(aliases, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (alias, token) =>
        {
            if (retention is not null)
            {
                await retention.NoteAsync(retentionClass, StorageNames.WebhookCopiesTable, alias, rowKey, now, token);
            }

            await _table.UpsertEntityAsync(new TableEntity(alias, rowKey) { ["Kind"] = kind, ["P"] = partition, ["R"] = id }, TableUpdateMode.Replace, token);
        });
    }

    /// <summary>The alias hashes of the identifiers a JSON document names; none when it is not JSON.</summary>
    public IReadOnlyCollection<string> AliasesIn(ReadOnlySpan<byte> json)
    {
        var aliases = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        string? field = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    field = Normalized(reader.GetString());
                    continue;
                }

                if (reader.TokenType == JsonTokenType.String && field is not null && reader.GetString() is { Length: > 0 and <= 128 } value)
                {
                    if (PhoneFields.Contains(field) && IsWaId(value))
                    {
                        aliases.Add(hasher.Hash(ContactDirectory.PhoneAliasPurpose, E164.FromWaId(value)));
                    }
                    else if (UserFields.Contains(field))
                    {
                        aliases.Add(hasher.Hash(ContactDirectory.UserAliasPurpose, value));
                    }
                }

                field = null;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON, cut short, or a string that is no text (a lone surrogate): what was read so far is all that can be attributed.
        }

        return aliases;
    }

    /// <summary>
    /// Erasure: deletes up to a page of the copies noted under <paramref name="alias"/>, each copy first, then its index
    /// row, so a crash in between leaves an index row that the next run finds again. A copy that names another person
    /// too goes as a whole: the erased person's right wins over keeping the other's unprocessed event.
    /// </summary>
    /// <returns>Copies removed, and whether more remain under the alias.</returns>
    public async Task<(int Removed, bool More)> DeletePageAsync(string alias, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var page in _table.QueryAsync<TableEntity>(e => e.PartitionKey == alias, maxPerPage: PageSize, cancellationToken: cancellationToken).AsPages())
        {
            rows.AddRange(page.Values);
            if (rows.Count > 0)
            {
                break;
            }
        }

        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (row, token) =>
        {
            var partition = row.GetString("P") ?? "";
            var id = row.GetString("R") ?? "";
            switch (row.GetString("Kind"))
            {
                case ParkedKind:
                    await DeleteRowAsync(StorageNames.ParkedTable, ParkedWebhookStore.Partition, id, token);
                    await DeleteBlobAsync(id, token);
                    break;
                case BodyKind:
                    await DeleteBlobAsync(id, token);
                    break;
                case UnhandledKind:
                    await DeleteRowAsync(StorageNames.UnhandledTable, partition, id, token);
                    break;
            }
        });

        foreach (var row in rows)
        {
            await DeleteRowAsync(StorageNames.WebhookCopiesTable, row.PartitionKey, row.RowKey, cancellationToken);
        }

        return (rows.Count, rows.Count == PageSize);
    }

    private static bool IsWaId(string value) => value.Length is >= 6 and <= 20 && value.TrimStart('+').All(char.IsAsciiDigit);

    private static string? Normalized(string? name)
    {
        if (name is null || name.Length > 64)
        {
            return null;
        }

        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c != '_')
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    private async Task DeleteBlobAsync(string envelopeId, CancellationToken cancellationToken) =>
        await storage.Container(StorageNames.WebhookBodiesContainer).GetBlobClient(WebhookBodyStore.BlobName(envelopeId)).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    private async Task DeleteRowAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Table(table).DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }
}
