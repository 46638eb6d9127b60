using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Contacts;

/// <summary>
/// Per-contact data keys (envelope encryption): each contact's personal data is sealed with its own AES key,
/// stored wrapped by the master key. Deleting the key row (crypto-shredding) makes every copy of that contact's
/// data unreadable, backups included.
/// Unwrapped keys are cached in memory, bounded in number and age: a key never changes, and the age limit bounds how
/// long another instance's shredding goes unnoticed here (data sealed meanwhile is unreadable too, the safe direction).
/// </summary>
public sealed class ContactKeyring(StorageClients storage, MasterKey masterKey, TimeProvider time)
{
    private const string RowKey = "dek";
    private const int CacheCapacity = 50_000;
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);
    private readonly TableClient _table = storage.Table(StorageNames.KeysTable);
    private readonly BoundedCache<string, byte[]> _cache = new(CacheCapacity, CacheLifetime, time);

    public Task<byte[]> GetOrCreateAsync(string contactKey, CancellationToken cancellationToken) =>
        GetOrCreateAsync(contactKey, likelyNew: false, cancellationToken);

    /// <param name="likelyNew">The contact was just minted: try the insert first and save the read that would miss.</param>
    public async Task<byte[]> GetOrCreateAsync(string contactKey, bool likelyNew, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(contactKey, out var cached))
        {
            return cached;
        }

        var existing = likelyNew ? null : await GetAsync(contactKey, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var entity = new TableEntity(contactKey, RowKey)
        {
            ["WrappedKey"] = masterKey.Seal(key, AssociatedData(contactKey)),
            ["CreatedAt"] = time.GetUtcNow(),
        };
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Another worker created it first; theirs is the key.
            return await GetAsync(contactKey, cancellationToken) ?? throw new InvalidOperationException("A data key vanished while being created.");
        }

        _cache.Set(contactKey, key);
        return key;
    }

    /// <returns>The data key, or null when the contact has none (never created, or shredded).</returns>
    public async Task<byte[]?> GetAsync(string contactKey, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(contactKey, out var cached))
        {
            return cached;
        }

        var response = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, RowKey, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value!.GetBinary("WrappedKey") is not { } wrapped)
        {
            _cache.Remove(contactKey);
            return null;
        }

        var key = masterKey.Open(wrapped, AssociatedData(contactKey));
        _cache.Set(contactKey, key);
        return key;
    }

    /// <summary>Crypto-shredding: after this, nothing sealed for the contact can be opened again.</summary>
    public async Task ShredAsync(string contactKey, CancellationToken cancellationToken)
    {
        _cache.Remove(contactKey);
        try
        {
            await _table.DeleteEntityAsync(contactKey, RowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Shredded before (a repeated erasure step) or never created.
        }
    }

    public async Task<byte[]> SealAsync(string contactKey, string field, string plaintext, CancellationToken cancellationToken)
    {
        var key = await GetOrCreateAsync(contactKey, cancellationToken);
        return SealedBox.Seal(key, Encoding.UTF8.GetBytes(plaintext), FieldData(contactKey, field));
    }

    /// <returns>The plaintext, or null when the value is absent or the contact's key has been shredded.</returns>
    public async Task<string?> OpenAsync(string contactKey, string field, byte[]? sealedValue, CancellationToken cancellationToken)
    {
        if (sealedValue is null)
        {
            return null;
        }

        var key = await GetAsync(contactKey, cancellationToken);
        return key is null ? null : Encoding.UTF8.GetString(SealedBox.Open(key, sealedValue, FieldData(contactKey, field)));
    }

    /// <summary>
    /// Opens with a key the caller already holds (from <see cref="GetAsync"/>), for readers that open many values of
    /// one contact at once: one key look-up instead of one per value.
    /// </summary>
    public static string? OpenWith(byte[]? key, string contactKey, string field, byte[]? sealedValue) =>
        key is null || sealedValue is null ? null : Encoding.UTF8.GetString(SealedBox.Open(key, sealedValue, FieldData(contactKey, field)));

    private static string AssociatedData(string contactKey) => "dek:" + contactKey;

    private static string FieldData(string contactKey, string field) => contactKey + ":" + field;
}
