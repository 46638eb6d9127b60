using System.Globalization;

namespace Messaging.Shared.Storage;

/// <summary>
/// Spreads a high-volume, per-contact table over <see cref="Count"/> tables by contact key, so a contact's rows always
/// sit in one table (<see cref="TableName"/>) and every table holds about 1/<see cref="Count"/> of them.
/// In Azure this changes nothing (a partition scales on its own whatever table it is in). On Azurite, which LocalHost
/// runs on, every query scans its whole table and every delete or update walks the table's whole key index, so a
/// table a thirty-second the size makes thread reads, erasure and retention deletes that much cheaper.
/// The shard is a pure function of the key (FNV-1a), identical in every process and release: changing
/// <see cref="Count"/> or the hash would strand rows, so neither may change without a migration.
/// </summary>
public static class ContactShards
{
    public const int Count = 32;

    /// <summary>The shard of a contact key, 0 to <see cref="Count"/> - 1.</summary>
    public static int Of(string contactKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(contactKey);
        const uint offsetBasis = 2166136261;
        const uint prime = 16777619;
        var hash = offsetBasis;
        foreach (var c in contactKey)
        {
            hash = unchecked((hash ^ c) * prime);
        }

        return (int)(hash % Count);
    }

    /// <summary>The table that holds a contact's rows of <paramref name="baseName"/>, e.g. Messages07.</summary>
    public static string TableName(string baseName, string contactKey) => ShardTableName(baseName, Of(contactKey));

    /// <summary>Every shard table of <paramref name="baseName"/>, in shard order.</summary>
    public static IReadOnlyList<string> TableNames(string baseName) =>
        [.. Enumerable.Range(0, Count).Select(shard => ShardTableName(baseName, shard))];

    private static string ShardTableName(string baseName, int shard) =>
        baseName + shard.ToString("00", CultureInfo.InvariantCulture);
}
