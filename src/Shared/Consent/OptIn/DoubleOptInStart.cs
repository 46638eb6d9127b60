namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// What a host stores to start one double opt-in workflow (the Durable orchestration input in Azure): the contact
/// key and the proof of the original request, flattened so any JSON serializer round-trips it. No phone number,
/// name or message text: the task hub keeps inputs until the instance is purged.
/// </summary>
public sealed record DoubleOptInStart(
    string RequestId,
    string ContactKey,
    string Purpose,
    string ProofSource,
    string ProofChannel,
    string? ConsentText,
    string? ConsentTextVersion,
    string? PrivacyNoticeVersion,
    string? EvidenceRef,
    DateTimeOffset RequestedAt,
    TimeSpan ConfirmationWindow)
{
    /// <summary>Deterministic and free of personal data, so a repeated start finds the same instance.</summary>
    public static string InstanceIdFor(string requestId) => $"doi-{ConsentRequestId.Validate(requestId, nameof(requestId))}";

    public string InstanceId => InstanceIdFor(RequestId);

    public static DoubleOptInStart From(DoubleOptInInput.Requested requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var proof = requested.Proof;
        return new(
            requested.RequestId, requested.ContactKey, requested.Purpose, proof.Source, proof.Channel, proof.ConsentText,
            proof.ConsentTextVersion, proof.PrivacyNoticeVersion, proof.EvidenceRef, requested.At, requested.ConfirmationWindow);
    }

    /// <summary>The first decider input; validates every field (the constructor of the input does).</summary>
    public DoubleOptInInput.Requested ToInput() =>
        new(RequestId, ContactKey, Purpose,
            new ConsentProof(ProofSource, ProofChannel, ConsentText, ConsentTextVersion, PrivacyNoticeVersion, EvidenceRef),
            RequestedAt, ConfirmationWindow);
}
