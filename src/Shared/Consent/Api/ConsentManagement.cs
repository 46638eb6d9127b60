using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.OptIn;
using Messaging.Shared.Contacts;
using Messaging.Shared.Security;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Consent.Api;

/// <summary>
/// The management API's behaviour, shared by LocalHost's endpoints and the Functions app. Validation errors are
/// returned per field and never echo the submitted phone number; no phone number ever appears in a URL.
/// </summary>
public sealed class ConsentManagement(
    IContactDirectory contacts,
    ConsentLedger ledger,
    IDoubleOptInWorkflows workflows,
    KeyedHasher hasher,
    IOptions<ConsentOptions> consentOptions,
    IOptions<DoubleOptInOptions> doubleOptInOptions,
    TimeProvider time)
{
    public async Task<(OptInAccepted? Accepted, IDictionary<string, string[]>? Errors)> StartOptInAsync(
        OptInRequestBody body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, string[]>();
        var phone = E164.TryNormalize(body.Phone);
        if (phone is null)
        {
            errors["phone"] = ["Must be a valid international phone number, e.g. +4915112345678."];
        }

        var purpose = string.IsNullOrWhiteSpace(body.Purpose) ? ConsentPurpose.Marketing : body.Purpose.Trim();
        if (!ConsentPurpose.IsValid(purpose))
        {
            errors["purpose"] = ["Must be lowercase letters and dashes, at most 32 characters."];
        }

        Require(errors, "source", body.Source, 64);
        Require(errors, "consentText", body.ConsentText, 4000);
        Require(errors, "consentTextVersion", body.ConsentTextVersion, 64);
        if (idempotencyKey is { Length: > 200 })
        {
            errors["Idempotency-Key"] = ["At most 200 characters."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var contactKey = await contacts.ResolveOrCreateByPhoneAsync(phone!, cancellationToken);

        // A CRM that retries with the same key starts the same workflow, not a second confirmation request.
        var requestId = idempotencyKey is null ? Guid.NewGuid().ToString("N") : hasher.Hash("optin-request", contactKey + "\n" + idempotencyKey);
        var proof = new ConsentProof(body.Source!.Trim(), ConsentChannels.WhatsApp, body.ConsentText, body.ConsentTextVersion!.Trim(), consentOptions.Value.PrivacyNoticeVersion, "request:" + requestId);
        await workflows.StartAsync(
            new DoubleOptInInput.Requested(requestId, contactKey, purpose, proof, time.GetUtcNow(), doubleOptInOptions.Value.ConfirmationWindow),
            cancellationToken);
        return (new OptInAccepted(requestId, contactKey), null);
    }

    public async Task<(string? ContactKey, IDictionary<string, string[]>? Errors)> LookupAsync(ContactLookupBody body, CancellationToken cancellationToken)
    {
        var phone = E164.TryNormalize(body?.Phone);
        if (phone is null)
        {
            return (null, new Dictionary<string, string[]> { ["phone"] = ["Must be a valid international phone number, e.g. +4915112345678."] });
        }

        return (await contacts.FindByPhoneAsync(phone, cancellationToken), null);
    }

    /// <returns>Null when the key is malformed or unknown.</returns>
    public async Task<ContactConsentResponse?> GetConsentAsync(string contactKey, CancellationToken cancellationToken)
    {
        if (!IsContactKey(contactKey))
        {
            return null;
        }

        var records = await ledger.GetRecordsAsync(contactKey, cancellationToken);
        if (records.Count == 0 && await contacts.GetAddressAsync(contactKey, cancellationToken) is null)
        {
            return null;
        }

        return new ContactConsentResponse(
            contactKey,
            records.Select(r => new PurposeConsent(r.Head.Purpose, r.Head.Status.ToString().ToLowerInvariant(), r.Head.ChangedAt, r.Events)).ToList());
    }

    public static bool IsContactKey(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);

    private static void Require(Dictionary<string, string[]> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = ["Required."];
        }
        else if (value.Length > maxLength)
        {
            errors[field] = [$"At most {maxLength} characters."];
        }
    }
}
