using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Privacy;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Contacts;

/// <summary>
/// Contacts and their aliases. A contact key is minted once, from the first identifier we learn (phone number
/// from a CRM, or Meta's business-scoped user id, else wa_id), and every identifier maps to it through an alias
/// row keyed by a keyed hash, so a contact first known by phone and later by user id stays one contact.
/// Identifiers and names are stored only sealed with the contact's data key. Every alias is also recorded inside the
/// contact's partition ("alias:{hash}"), so erasure finds the alias rows that live outside it. A tombstoned (erased)
/// contact gets nothing new: no profile, no data key, no alias.
/// <para>
/// Resolution is on every inbound event's path, so what it learns is kept in memory: alias → contact key (it only
/// changes through <c>user_changed_number</c> or a recycled number, which this instance invalidates itself and the age
/// limit bounds elsewhere), and the profile's fingerprints, so a returning contact costs no profile read and a profile
/// write only when something changed. <c>LastInboundAt</c> is written when it moves forward by at least
/// <see cref="LastInboundGranularity"/>: the 24-hour window then closes at most that much early, never late.
/// </para>
/// </summary>
public sealed class ContactDirectory(StorageClients storage, KeyedHasher hasher, ContactKeyring keyring, ContactTombstones tombstones, TimeProvider time)
    : IContactDirectory
{
    public const string AliasRow = "alias";
    private const string ProfileRow = "profile";
    private const string AliasRecordPrefix = "alias:";

    /// <summary>How far the last inbound time may lag behind the newest message before it is written again.</summary>
    public static readonly TimeSpan LastInboundGranularity = TimeSpan.FromMinutes(1);

    private const int CacheCapacity = 100_000;
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);
    private readonly TableClient _contacts = storage.Table(StorageNames.ContactsTable);
    private readonly TableClient _aliases = storage.Table(StorageNames.AliasesTable);
    private readonly BoundedCache<string, string> _aliasCache = new(CacheCapacity, CacheLifetime, time);
    private readonly BoundedCache<string, ProfileFingerprint> _profileCache = new(CacheCapacity, CacheLifetime, time);

    public async Task<string> ResolveOrCreateByPhoneAsync(string phoneE164, CancellationToken cancellationToken)
    {
        var alias = PhoneAlias(phoneE164);
        var found = await LookupAsync(alias, cancellationToken);
        var contactKey = found ?? MintKey("phone", phoneE164);
        if (await IsErasedAsync(contactKey, found is null ? [alias] : [], cancellationToken))
        {
            // The key is returned so callers can record what they must (the consent gate then refuses it); nothing is created.
            return contactKey;
        }

        contactKey = await ClaimAliasAsync(alias, contactKey, overwrite: false, cancellationToken);
        await EnsureProfileAsync(contactKey, phoneE164, null, null, null, cancellationToken);
        return contactKey;
    }

    public Task<string?> FindByPhoneAsync(string phoneE164, CancellationToken cancellationToken) =>
        LookupAsync(PhoneAlias(phoneE164), cancellationToken);

    public async Task<ContactAddress?> GetAddressAsync(string contactKey, CancellationToken cancellationToken)
    {
        var profile = await GetProfileAsync(contactKey, cancellationToken);
        if (profile is null)
        {
            return null;
        }

        var phone = await keyring.OpenAsync(contactKey, "phone", profile.GetBinary("Phone"), cancellationToken);
        var userId = await keyring.OpenAsync(contactKey, "user_id", profile.GetBinary("UserId"), cancellationToken);
        if (phone is null && userId is null)
        {
            return null;
        }

        return new ContactAddress(contactKey, phone, userId, profile.GetDateTimeOffset("LastInboundAt"));
    }

    /// <summary>
    /// The contact a webhook speaks of. The business-scoped user id is the stable identifier: when it and the
    /// phone number point at different contacts (a recycled number), the user id wins and the phone alias moves.
    /// </summary>
    /// <returns>The contact key, or null when the identifiers belong to an erased contact: the event must create nothing.</returns>
    public async Task<string?> ResolveInboundAsync(string? waId, string? userId, string? profileName, DateTimeOffset? inboundAt, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(waId) && string.IsNullOrWhiteSpace(userId))
        {
            throw new ArgumentException("An inbound event names neither a wa_id nor a user_id.");
        }

        var phone = string.IsNullOrWhiteSpace(waId) ? null : E164.FromWaId(waId);
        var userAlias = userId is null ? null : UserAlias(userId);
        var phoneAlias = phone is null ? null : PhoneAlias(phone);

        var byUser = userAlias is null ? null : await LookupAsync(userAlias, cancellationToken);
        var byPhone = phoneAlias is null ? null : await LookupAsync(phoneAlias, cancellationToken);
        var minted = byUser is null && byPhone is null;
        var contactKey = byUser ?? byPhone ?? (userId is not null ? MintKey("user_id", userId) : MintKey("phone", phone!));
        string[] unmapped = byUser is null && byPhone is null ? [.. new[] { userAlias, phoneAlias }.OfType<string>()] : [];
        if (await IsErasedAsync(contactKey, unmapped, cancellationToken))
        {
            return null;
        }

        if (userAlias is not null && byUser is null)
        {
            contactKey = await ClaimAliasAsync(userAlias, contactKey, overwrite: false, cancellationToken);
        }

        if (phoneAlias is not null && byPhone != contactKey)
        {
            contactKey = await ClaimAliasAsync(phoneAlias, contactKey, overwrite: byPhone is not null, cancellationToken);
        }

        if (minted)
        {
            // A minted key usually has no data key yet: create it without the read that would miss.
            await keyring.GetOrCreateAsync(contactKey, likelyNew: true, cancellationToken);
        }

        await EnsureProfileAsync(contactKey, phone, userId, profileName, inboundAt, cancellationToken);
        return contactKey;
    }

    /// <summary>
    /// The contact an identifier already belongs to, without creating anything: for events that must not mint a
    /// contact of their own (a status for a number we never wrote to from here).
    /// </summary>
    public async Task<string?> FindInboundAsync(string? waId, string? userId, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(userId) && await LookupAsync(UserAlias(userId), cancellationToken) is { } byUser)
        {
            return byUser;
        }

        return string.IsNullOrWhiteSpace(waId) ? null : await LookupAsync(PhoneAlias(E164.FromWaId(waId)), cancellationToken);
    }

    /// <summary>Follows <c>user_changed_number</c>: the new number maps to the contact, the old one no longer does.</summary>
    public async Task ChangeNumberAsync(string contactKey, string newWaId, CancellationToken cancellationToken)
    {
        if (await tombstones.IsTombstonedAsync(contactKey, cancellationToken))
        {
            return;
        }

        var newPhone = E164.FromWaId(newWaId);
        var address = await GetAddressAsync(contactKey, cancellationToken);
        await ClaimAliasAsync(PhoneAlias(newPhone), contactKey, overwrite: true, cancellationToken);
        if (address?.PhoneE164 is { } oldPhone && oldPhone != newPhone)
        {
            var oldAlias = PhoneAlias(oldPhone);
            _aliasCache.Remove(oldAlias);
            if (await LookupAsync(oldAlias, cancellationToken) == contactKey)
            {
                await _aliases.DeleteEntityAsync(oldAlias, AliasRow, ETag.All, cancellationToken);
            }

            _aliasCache.Remove(oldAlias);
        }

        await EnsureProfileAsync(contactKey, newPhone, null, null, null, cancellationToken);
    }

    /// <summary>Keyed hashes of the identifiers that lead to a contact; erasure deletes these aliases.</summary>
    /// <summary>Hash purposes of the alias index; what else is found by identifier (held webhook copies) keys on the same hashes.</summary>
    public const string PhoneAliasPurpose = "alias:phone";

    public const string UserAliasPurpose = "alias:user_id";

    public string PhoneAlias(string phoneE164) => hasher.Hash(PhoneAliasPurpose, phoneE164);

    public string UserAlias(string userId) => hasher.Hash(UserAliasPurpose, userId);

    /// <summary>The alias hashes recorded for a contact, plus those of the identifiers its profile holds (older rows).</summary>
    public async Task<IReadOnlyList<string>> AliasesOfAsync(string contactKey, CancellationToken cancellationToken)
    {
        var aliases = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in _contacts.QueryAsync<TableEntity>(
            e => e.PartitionKey == contactKey && e.RowKey.CompareTo(AliasRecordPrefix) >= 0 && e.RowKey.CompareTo("alias;") < 0, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            aliases.Add(row.RowKey[AliasRecordPrefix.Length..]);
        }

        if (await GetAddressAsync(contactKey, cancellationToken) is { } address)
        {
            if (address.PhoneE164 is { } phone)
            {
                aliases.Add(PhoneAlias(phone));
            }

            if (address.UserId is { } userId)
            {
                aliases.Add(UserAlias(userId));
            }
        }

        return [.. aliases];
    }

    public Task<string?> LookupAliasAsync(string alias, CancellationToken cancellationToken) => LookupAsync(alias, cancellationToken);

    /// <summary>
    /// Erasure: deletes an alias row and forgets what this instance cached about it and its contact. Another
    /// instance's cache can still lead to the key for its lifetime, but only to a tombstoned key that creates nothing.
    /// </summary>
    /// <returns>Whether a row was deleted.</returns>
    public async Task<bool> DeleteAliasAsync(string alias, string contactKey, CancellationToken cancellationToken)
    {
        _aliasCache.Remove(alias);
        _profileCache.Remove(contactKey);
        try
        {
            await _aliases.DeleteEntityAsync(alias, AliasRow, ETag.All, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    private string MintKey(string kind, string value) => hasher.Hash("contact", kind + ":" + value);

    /// <summary>Tombstoned key, or (for identifiers no alias maps) an identifier suppressed by an earlier erasure.</summary>
    private async Task<bool> IsErasedAsync(string contactKey, IReadOnlyList<string> unmappedAliases, CancellationToken cancellationToken)
    {
        if (await tombstones.IsTombstonedAsync(contactKey, cancellationToken))
        {
            return true;
        }

        foreach (var alias in unmappedAliases)
        {
            if (await tombstones.IsAliasSuppressedAsync(alias, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<string?> LookupAsync(string alias, CancellationToken cancellationToken)
    {
        if (_aliasCache.TryGet(alias, out var cached))
        {
            return cached;
        }

        var response = await _aliases.GetEntityIfExistsAsync<TableEntity>(alias, AliasRow, ["ContactKey"], cancellationToken);
        var contactKey = response.HasValue ? response.Value!.GetString("ContactKey") : null;
        if (contactKey is not null)
        {
            // Only hits are kept: an unknown identifier becomes known the moment someone claims it.
            _aliasCache.Set(alias, contactKey);
        }

        return contactKey;
    }

    /// <returns>The contact the alias points to afterwards (someone else's claim wins a race).</returns>
    private async Task<string> ClaimAliasAsync(string alias, string contactKey, bool overwrite, CancellationToken cancellationToken)
    {
        // Recorded inside the contact's partition first, so an alias row never exists that erasure cannot find.
        await _contacts.UpsertEntityAsync(new TableEntity(contactKey, AliasRecordPrefix + alias), TableUpdateMode.Replace, cancellationToken);
        var entity = new TableEntity(alias, AliasRow) { ["ContactKey"] = contactKey, ["ClaimedAt"] = time.GetUtcNow() };
        _aliasCache.Remove(alias);
        if (overwrite)
        {
            await _aliases.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
            _aliasCache.Set(alias, contactKey);
            return contactKey;
        }

        try
        {
            await _aliases.AddEntityAsync(entity, cancellationToken);
            _aliasCache.Set(alias, contactKey);
            return contactKey;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await LookupAsync(alias, cancellationToken) ?? contactKey;
        }
    }

    private async Task<TableEntity?> GetProfileAsync(string contactKey, CancellationToken cancellationToken)
    {
        var response = await _contacts.GetEntityIfExistsAsync<TableEntity>(contactKey, ProfileRow, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// Creates the profile or brings it up to date. Change detection uses keyed hashes of the values, because
    /// sealed values differ on every encryption. The last inbound time only moves forward.
    /// </summary>
    private async Task EnsureProfileAsync(
        string contactKey, string? phone, string? userId, string? name, DateTimeOffset? inboundAt, CancellationToken cancellationToken)
    {
        if (_profileCache.TryGet(contactKey, out var known) && Covers(known, phone, userId, name))
        {
            if (inboundAt is not { } newer || known.LastInboundAt is { } last && newer - last < LastInboundGranularity)
            {
                return;
            }

            // Only the last inbound time moved: merge it without reading. Two instances racing here may leave the
            // older of their two times, which shortens the window a little and never lengthens it.
            try
            {
                await _contacts.UpdateEntityAsync(new TableEntity(contactKey, ProfileRow) { ["LastInboundAt"] = newer }, ETag.All, TableUpdateMode.Merge, cancellationToken);
                _profileCache.Set(contactKey, known with { LastInboundAt = newer });
                return;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // The profile went away behind the cache (erasure elsewhere): take the slow path, which sees it.
                _profileCache.Remove(contactKey);
            }
        }

        for (var attempt = 0; ; attempt++)
        {
            var profile = await GetProfileAsync(contactKey, cancellationToken);
            var entity = profile ?? new TableEntity(contactKey, ProfileRow) { ["CreatedAt"] = time.GetUtcNow() };
            var changed = profile is null;
            changed |= await SetSealedAsync(entity, contactKey, "phone", "Phone", phone, cancellationToken);
            changed |= await SetSealedAsync(entity, contactKey, "user_id", "UserId", userId, cancellationToken);
            changed |= await SetSealedAsync(entity, contactKey, "name", "Name", name, cancellationToken);
            if (inboundAt is { } at && (entity.GetDateTimeOffset("LastInboundAt") is not { } last || at > last))
            {
                entity["LastInboundAt"] = at;
                changed = true;
            }

            if (!changed)
            {
                _profileCache.Set(contactKey, FingerprintOf(entity));
                return;
            }

            try
            {
                if (profile is null)
                {
                    await _contacts.AddEntityAsync(entity, cancellationToken);
                }
                else
                {
                    await _contacts.UpdateEntityAsync(entity, profile.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                _profileCache.Set(contactKey, FingerprintOf(entity));
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 5)
            {
                // A concurrent writer changed the profile; read it again and re-apply.
            }
        }
    }

    private bool Covers(ProfileFingerprint known, string? phone, string? userId, string? name) =>
        (phone is null || known.PhoneHash == hasher.Hash("field:phone", phone))
        && (userId is null || known.UserIdHash == hasher.Hash("field:user_id", userId))
        && (name is null || known.NameHash == hasher.Hash("field:name", name));

    private static ProfileFingerprint FingerprintOf(TableEntity profile) =>
        new(profile.GetString("PhoneHash"), profile.GetString("UserIdHash"), profile.GetString("NameHash"), profile.GetDateTimeOffset("LastInboundAt"));

    private async Task<bool> SetSealedAsync(
        TableEntity entity, string contactKey, string field, string column, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            return false;
        }

        var fingerprint = hasher.Hash("field:" + field, value);
        var current = entity.GetString(column + "Hash");
        if (current == fingerprint)
        {
            return false;
        }

        entity[column] = await keyring.SealAsync(contactKey, field, value, cancellationToken);
        entity[column + "Hash"] = fingerprint;
        return true;
    }

    /// <summary>What the stored profile holds, as keyed hashes: enough to tell whether a webhook brings anything new.</summary>
    private sealed record ProfileFingerprint(string? PhoneHash, string? UserIdHash, string? NameHash, DateTimeOffset? LastInboundAt);
}
