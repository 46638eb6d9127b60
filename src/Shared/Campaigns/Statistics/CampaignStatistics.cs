using System.Collections.Immutable;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Campaigns.Statistics;

/// <summary>
/// Delivered/read/failed counters per campaign, rolled up from status webhooks, in the CampaignRecipients table.
/// <list type="bullet">
/// <item>Spread over <see cref="Shards"/> partitions "{campaignId}~s{NN}" by the message's callback id, so a thousand
/// statuses a second contend for 32 rows, not one.</item>
/// <item>Each message has a marker row next to its shard's counter row; both change in one entity-group transaction,
/// so a status counts exactly once however often it is delivered, and a crash between the two cannot happen.</item>
/// <item>Read implies delivered (Meta may send "read" first or drop "delivered"); a failure counts once, by code.</item>
/// <item>The outbox row of each send (Meta echoes its key as <c>biz_opaque_callback_data</c>) carries the campaign as its
/// tag; it is written before the message is sent, so the status never arrives before it.</item>
/// </list>
/// Keys are campaign ids and callback ids (keyed hashes of send ids); nothing personal.
/// </summary>
public sealed class CampaignStatistics(StorageClients storage)
{
    public const int Shards = 32;
    private const string CounterRow = "counter";

    private TableClient Table => storage.Table(StorageNames.CampaignRecipientsTable);

    public static string ShardPartition(string campaignId, int shard) => $"{campaignId}~s{shard:D2}";

    public static int ShardOf(string callbackId)
    {
        ArgumentNullException.ThrowIfNull(callbackId);
        // FNV-1a: stable across processes and runtimes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in callbackId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Shards);
    }

    private const string TagPrefix = "campaign:";

    /// <summary>The outbox tag of a campaign's sends (<see cref="Outbound.OutboundRequest.Tag"/>).</summary>
    public static string TagOf(string campaignId) => TagPrefix + campaignId;

    /// <summary>The campaign an outbox tag names, or null when the send belongs to no campaign.</summary>
    public static string? CampaignOfTag(string? tag) =>
        tag is not null && tag.StartsWith(TagPrefix, StringComparison.Ordinal) && CampaignIds.IsValid(tag[TagPrefix.Length..]) ? tag[TagPrefix.Length..] : null;

    /// <param name="status">delivered, read or failed; anything else changes nothing.</param>
    /// <param name="errorCode">Meta's code for a failed status ("unknown" when it names none).</param>
    /// <returns>Whether the counters changed (false for a repeat).</returns>
    public async Task<bool> RecordAsync(string campaignId, string callbackId, string status, string? errorCode, CancellationToken cancellationToken)
    {
        if (status is not ("delivered" or "read" or "failed"))
        {
            return false;
        }

        var partition = ShardPartition(campaignId, ShardOf(callbackId));
        var markerKey = "m~" + callbackId;
        for (var attempt = 0; ; attempt++)
        {
            var marker = await Table.GetEntityIfExistsAsync<TableEntity>(partition, markerKey, cancellationToken: cancellationToken);
            var counter = await Table.GetEntityIfExistsAsync<TableEntity>(partition, CounterRow, cancellationToken: cancellationToken);
            var m = marker.HasValue ? marker.Value! : new TableEntity(partition, markerKey);
            var c = counter.HasValue ? counter.Value! : new TableEntity(partition, CounterRow) { ["Delivered"] = 0, ["Read"] = 0, ["Failed"] = "{}" };
            var changed = false;
            if (status is "delivered" or "read" && m.GetBoolean("Delivered") != true)
            {
                m["Delivered"] = true;
                c["Delivered"] = (c.GetInt32("Delivered") ?? 0) + 1;
                changed = true;
            }

            if (status == "read" && m.GetBoolean("Read") != true)
            {
                m["Read"] = true;
                c["Read"] = (c.GetInt32("Read") ?? 0) + 1;
                changed = true;
            }

            if (status == "failed" && m.GetString("FailedCode") is null)
            {
                var code = string.IsNullOrEmpty(errorCode) ? "unknown" : errorCode;
                m["FailedCode"] = code;
                var failed = JsonSerializer.Deserialize<Dictionary<string, int>>(c.GetString("Failed") ?? "{}") ?? [];
                failed[code] = failed.GetValueOrDefault(code) + 1;
                c["Failed"] = JsonSerializer.Serialize(failed);
                changed = true;
            }

            if (!changed)
            {
                return false;
            }

            try
            {
                await Table.SubmitTransactionAsync(
                    [
                        marker.HasValue ? new(TableTransactionActionType.UpdateReplace, m, m.ETag) : new(TableTransactionActionType.Add, m),
                        counter.HasValue ? new(TableTransactionActionType.UpdateReplace, c, c.ETag) : new(TableTransactionActionType.Add, c),
                    ],
                    cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < 50)
            {
                // Another status of this shard landed first: read both rows again and decide again.
                await Task.Delay(Random.Shared.Next(1, 5 + Math.Min(attempt, 20) * 5), cancellationToken);
            }
        }
    }

    public async Task<CampaignDeliveryCounts> GetAsync(string campaignId, CancellationToken cancellationToken)
    {
        var rows = await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard =>
            Table.GetEntityIfExistsAsync<TableEntity>(ShardPartition(campaignId, shard), CounterRow, cancellationToken: cancellationToken)));
        var total = CampaignDeliveryCounts.Empty;
        foreach (var row in rows.Where(r => r.HasValue).Select(r => r.Value!))
        {
            var failed = JsonSerializer.Deserialize<Dictionary<string, int>>(row.GetString("Failed") ?? "{}") ?? [];
            total = total.Add(new(row.GetInt32("Delivered") ?? 0, row.GetInt32("Read") ?? 0, failed.ToImmutableSortedDictionary(StringComparer.Ordinal)));
        }

        return total;
    }
}
