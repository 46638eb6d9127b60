using Messaging.Shared.Contacts;
using Messaging.Shared.Workflows;

namespace Messaging.Shared.Privacy.Erasure;

/// <summary>
/// The one way in for an erasure, whoever asks: the data-subject request API, the WhatsApp keyword, a retention sweep
/// for an inactive contact. Starting is idempotent per request id (the instance id is derived from it).
/// </summary>
public sealed class ErasureService(IContactDirectory contacts, ContactTombstones tombstones, IWorkflowHost workflows, TimeProvider time)
{
    /// <summary>Channel of erasures that a retention sweep starts; the person is not told.</summary>
    public const string RetentionChannel = "retention";

    /// <param name="contactKey">The contact, or null to look it up by <paramref name="phoneE164"/> (never creating one).</param>
    /// <param name="requestId">Key-safe id of the request; the same id never starts a second erasure.</param>
    /// <param name="notifyContact">Tell the person in WhatsApp (inside the service window); default: unless a retention sweep asks.</param>
    /// <returns>The contact key being erased, or null when we hold nothing under these identifiers.</returns>
    public async Task<string?> StartErasureAsync(
        string? contactKey, string? phoneE164, string channel, string requestId, bool? notifyContact, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        if ((contactKey is null) == (phoneE164 is null))
        {
            throw new ArgumentException("Exactly one of contactKey and phone is required.");
        }

        contactKey ??= await contacts.FindByPhoneAsync(phoneE164!, cancellationToken);
        if (contactKey is null)
        {
            return null;
        }

        if (await contacts.GetAddressAsync(contactKey, cancellationToken) is null && !await tombstones.IsTombstonedAsync(contactKey, cancellationToken))
        {
            // No profile and no erasure under way: nothing is held that could be erased.
            return null;
        }

        var requested = new ErasureInput.Requested(requestId, contactKey, channel, notifyContact ?? channel != RetentionChannel, time.GetUtcNow());
        await workflows.StartAsync(ErasureWorkflow.Instance(requestId), requested, cancellationToken);
        return contactKey;
    }
}
