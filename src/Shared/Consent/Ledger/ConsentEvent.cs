using System.Text.Json.Serialization;

namespace Messaging.Shared.Consent.Ledger;

/// <summary>
/// One entry of the append-only consent ledger of a contact and purpose. The hierarchy is closed (the constructor
/// is private protected) so <see cref="ConsentProjection"/> can handle every kind and a storage adapter can map
/// every kind. Every event carries its own proof because each change of consent must be demonstrable on its own.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(ConsentRequested), "requested")]
[JsonDerivedType(typeof(ConsentConfirmed), "confirmed")]
[JsonDerivedType(typeof(ConsentDeclined), "declined")]
[JsonDerivedType(typeof(ConsentExpired), "expired")]
[JsonDerivedType(typeof(ConsentGranted), "granted")]
[JsonDerivedType(typeof(ConsentWithdrawn), "withdrawn")]
public abstract record ConsentEvent
{
    private protected ConsentEvent(string eventId, string purpose, DateTimeOffset occurredAt, ConsentProof proof)
    {
        EventId = eventId;
        Purpose = purpose;
        OccurredAt = occurredAt;
        Proof = proof;
    }

    /// <summary>Deterministic id given by the caller, so a redelivered command appends the same event and is recognised.</summary>
    public string EventId
    {
        get;
        init => field = string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("Required.", nameof(EventId)) : value;
    }

    public string Purpose
    {
        get;
        init => field = ConsentPurpose.Validate(value, nameof(Purpose));
    }

    /// <summary>Always UTC and whole seconds (<see cref="ConsentTime.Normalize"/>).</summary>
    public DateTimeOffset OccurredAt
    {
        get;
        init => field = ConsentTime.Normalize(value);
    }

    public ConsentProof Proof
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Proof));
    }
}
