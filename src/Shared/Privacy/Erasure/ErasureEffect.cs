using System.Text.Json.Serialization;

namespace Messaging.Shared.Privacy.Erasure;

/// <summary>
/// The effects an erasure owes, each with a deterministic <see cref="EffectId"/> ("erasure:{requestId}:{step}") so a
/// host that runs one again after a crash is recognised; every effect is idempotent on its own as well.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(Tombstone), "tombstone")]
[JsonDerivedType(typeof(StopWorkflows), "stopWorkflows")]
[JsonDerivedType(typeof(NotifyContact), "notifyContact")]
[JsonDerivedType(typeof(DeleteRows), "deleteRows")]
[JsonDerivedType(typeof(ShredKey), "shredKey")]
[JsonDerivedType(typeof(WriteReceipt), "writeReceipt")]
[JsonDerivedType(typeof(RecordFailure), "recordFailure")]
public abstract record ErasureEffect
{
    private ErasureEffect(string effectId, string requestId, string contactKey)
    {
        EffectId = effectId;
        RequestId = requestId;
        ContactKey = contactKey;
    }

    public string EffectId { get; init; }

    public string RequestId { get; init; }

    public string ContactKey { get; init; }

    /// <summary>Tombstone the contact and withdraw every consent it holds (reason: erasure), before anything is deleted.</summary>
    public sealed record Tombstone(string EffectId, string RequestId, string ContactKey, string Channel, DateTimeOffset RequestedAt)
        : ErasureEffect(EffectId, RequestId, ContactKey);

    /// <summary>Terminate and purge every workflow instance in the contact's partition.</summary>
    public sealed record StopWorkflows(string EffectId, string RequestId, string ContactKey) : ErasureEffect(EffectId, RequestId, ContactKey);

    /// <summary>Tell the person in WhatsApp that the erasure is done (best-effort; the address still opens here).</summary>
    public sealed record NotifyContact(string EffectId, string RequestId, string ContactKey) : ErasureEffect(EffectId, RequestId, ContactKey);

    /// <summary>Delete one page of <paramref name="Store"/>'s rows of the contact; reports whether more remain.</summary>
    public sealed record DeleteRows(string EffectId, string RequestId, string ContactKey, string Store, int Page)
        : ErasureEffect(EffectId, RequestId, ContactKey);

    /// <summary>Delete the contact's data key: every copy sealed with it, backups included, becomes unreadable.</summary>
    public sealed record ShredKey(string EffectId, string RequestId, string ContactKey) : ErasureEffect(EffectId, RequestId, ContactKey);

    /// <summary>Write the suppression receipt and the audit entry with the final report.</summary>
    public sealed record WriteReceipt(string EffectId, string RequestId, string ContactKey, ErasureReport Report)
        : ErasureEffect(EffectId, RequestId, ContactKey);

    /// <summary>Record that <paramref name="Step"/> kept failing: the request turns "failed" with the reason, the audit chain notes it.</summary>
    public sealed record RecordFailure(string EffectId, string RequestId, string ContactKey, string Step, string Reason, ErasureReport Report)
        : ErasureEffect(EffectId, RequestId, ContactKey);
}
