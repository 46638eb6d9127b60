using Messaging.Shared.Storage;

namespace Messaging.Shared.Messages;

/// <summary>
/// Where a contact's message rows are: every row is written to the contact's shard of Messages
/// (<see cref="ContactShards"/>: Messages00..Messages31); releases before the sharding wrote them to the one
/// <see cref="Legacy"/> table, which readers, erasure, export and retention still cover until it is empty.
/// A message row is found in its shard first and in the legacy table only when the shard has no such row.
/// </summary>
public static class MessageTables
{
    public const string Legacy = StorageNames.MessagesTable;

    /// <summary>The table every new row of the contact goes to.</summary>
    public static string Of(string contactKey) => ContactShards.TableName(StorageNames.MessagesTable, contactKey);

    /// <summary>Every table that can hold rows of the contact: its shard, then the legacy table.</summary>
    public static IReadOnlyList<string> OfContact(string contactKey) => [Of(contactKey), Legacy];

    /// <summary>Every message table: the shards, then the legacy table.</summary>
    public static IReadOnlyList<string> All { get; } = [.. ContactShards.TableNames(StorageNames.MessagesTable), Legacy];
}
