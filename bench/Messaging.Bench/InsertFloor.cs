using System.Diagnostics;
using Azure.Data.Tables;

namespace Messaging.Bench;

/// <summary>
/// The storage floor for processing: plain entity inserts into one Azurite table, with rows the size of a stored
/// message (sealed text and raw JSON, ~1.5 KB), each in its own partition like contacts, N in flight. No app code.
/// </summary>
internal static class InsertFloor
{
    public static async Task<double> MeasureAsync(string storage, string table, int count, int concurrency)
    {
        var client = new TableClient(storage, table);
        await client.CreateIfNotExistsAsync();
        var payload = new byte[1200];
        Random.Shared.NextBytes(payload);
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var entity = new TableEntity(Guid.NewGuid().ToString("N"), "m-" + Guid.NewGuid().ToString("N"))
                {
                    ["Direction"] = "in",
                    ["Type"] = "text",
                    ["SentAt"] = DateTimeOffset.UtcNow,
                    ["ReceivedAt"] = DateTimeOffset.UtcNow,
                    ["Raw"] = payload,
                    ["Text"] = payload[..300],
                };
                await client.AddEntityAsync(entity);
            }
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await client.DeleteAsync();
        return count / seconds;
    }
}
