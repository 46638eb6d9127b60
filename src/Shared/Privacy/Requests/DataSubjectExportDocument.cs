using Messaging.Shared.Consent.Ledger;

namespace Messaging.Shared.Privacy.Requests;

/// <summary>
/// The Art. 15 copy and Art. 20 portable form of everything held about a person, decrypted: what the export endpoint
/// returns as application/json. <see cref="Processing"/> carries the Art. 15(1) information that goes with it.
/// </summary>
public sealed record DataSubjectExportDocument(
    string RequestId,
    DateTimeOffset GeneratedAt,
    string ContactKey,
    ExportIdentifiers Identifiers,
    IReadOnlyList<ConsentRecord> Consent,
    IReadOnlyList<ExportMessage> Messages,
    IReadOnlyList<ExportSend> Sends,
    ExportProcessing Processing);

/// <summary>The identifiers we hold: phone number, WhatsApp id, business-scoped user id, WhatsApp profile name.</summary>
public sealed record ExportIdentifiers(string? Phone, string? WaId, string? UserId, string? ProfileName, DateTimeOffset? CreatedAt, DateTimeOffset? LastInboundAt);

/// <summary>One message in either direction ("in" from the person, "out" to them) with its text and delivery status.</summary>
public sealed record ExportMessage(string Direction, string? Type, DateTimeOffset? At, string? Status, string? Text, string? MessageId, string? Raw);

/// <summary>One send we made or attempted (the outbox): kind, template, when, and what Meta reported.</summary>
public sealed record ExportSend(string Kind, string MessageType, string? TemplateName, DateTimeOffset CreatedAt, string State, string? Status);

/// <summary>Art. 15(1)(a)-(h): purposes, legal bases, recipients, retention periods (ISO 8601) and source of the data.</summary>
public sealed record ExportProcessing(
    IReadOnlyList<ExportPurpose> Purposes,
    IReadOnlyList<ExportRecipient> Recipients,
    IReadOnlyList<ExportRetention> Retention,
    string Source,
    string Rights);

public sealed record ExportPurpose(string Purpose, string LegalBasis);

public sealed record ExportRecipient(string Name, string Role, string Data);

public sealed record ExportRetention(string Data, string Period);
