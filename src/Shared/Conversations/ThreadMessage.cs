namespace Messaging.Shared.Conversations;

/// <summary>
/// One item of a contact's thread. Holds message text: never logged. <see cref="Edited"/>: the customer edited it and
/// <see cref="Text"/> is the newest version; <see cref="Revoked"/>: the customer deleted it, so it has no text.
/// </summary>
public sealed record ThreadMessage(
    string MessageId,
    string Direction,
    string Type,
    string? Text,
    string? Caption,
    ThreadMedia? Media,
    DateTimeOffset Timestamp,
    string Status,
    string? ReplyTo,
    bool Edited = false,
    bool Revoked = false)
{
    public override string ToString() => $"ThreadMessage {{ MessageId = {MessageId}, Direction = {Direction}, Type = {Type} }}";
}

/// <summary>A media attachment: the Meta media id (fetched through <c>GET /api/media/{id}</c>) and its type.</summary>
public sealed record ThreadMedia(string Id, string? MimeType);
