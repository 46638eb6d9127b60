namespace Messaging.Shared.Privacy.Erasure;

public sealed record StoreCount(string Store, int Rows);
