using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Privacy.Requests;

/// <summary>
/// The DataSubjectRequests table: one partition (requests are few, and the open list reads them all), RowKey = the
/// request id. Every change is a conditional write on the row's ETag, so two writers cannot both extend a deadline.
/// </summary>
public sealed class DataSubjectRequestStore(StorageClients storage)
{
    public const string Partition = "requests";

    private readonly TableClient _table = storage.Table(StorageNames.DataSubjectRequestsTable);

    public static bool IsRequestId(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);

    /// <returns>True when added; false when a request with this id exists (a retry with the same Idempotency-Key).</returns>
    public async Task<bool> TryAddAsync(DataSubjectRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(ToEntity(request), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<(DataSubjectRequest Request, ETag ETag)?> GetAsync(string requestId, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, requestId, cancellationToken: cancellationToken);
        return row.HasValue ? (ToRequest(row.Value!), row.Value!.ETag) : null;
    }

    /// <returns>False when the row changed since <paramref name="etag"/> (or is gone): read again and decide again.</returns>
    public async Task<bool> TryReplaceAsync(DataSubjectRequest request, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpdateEntityAsync(ToEntity(request), etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<DataSubjectRequest>> ListAsync(string? status, CancellationToken cancellationToken)
    {
        var found = new List<DataSubjectRequest>();
        var query = status is null
            ? _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken)
            : _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition && e.GetString("Status") == status, cancellationToken: cancellationToken);
        await foreach (var row in query)
        {
            found.Add(ToRequest(row));
        }

        return found;
    }

    private static TableEntity ToEntity(DataSubjectRequest r) => new(Partition, r.RequestId)
    {
        ["Kind"] = r.Kind,
        ["ContactKey"] = r.ContactKey,
        ["Channel"] = r.Channel,
        ["Status"] = r.Status,
        ["ReceivedAt"] = r.ReceivedAt,
        ["DueBy"] = r.DueBy,
        ["ExtendedTo"] = r.ExtendedTo,
        ["ExtensionReason"] = r.ExtensionReason,
        ["CompletedAt"] = r.CompletedAt,
        ["Report"] = r.Report is null ? null : JsonSerializer.Serialize(r.Report, Json),
    };

    private static DataSubjectRequest ToRequest(TableEntity row) => new(
        row.RowKey,
        row.GetString("Kind") ?? "",
        row.GetString("ContactKey"),
        row.GetString("Channel") ?? "",
        row.GetString("Status") ?? "",
        row.GetDateTimeOffset("ReceivedAt") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("DueBy") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("ExtendedTo"),
        row.GetString("ExtensionReason"),
        row.GetDateTimeOffset("CompletedAt"),
        row.GetString("Report") is { } report ? JsonSerializer.Deserialize<DataSubjectRequestReport>(report, Json) : null);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
