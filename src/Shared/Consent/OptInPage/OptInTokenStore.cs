using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Retention;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Consent.OptInPage;

/// <summary>
/// One-time codes that tie a consent ticked on the web page to the WhatsApp chat the customer then opens.
/// The visitor is anonymous on the page: a row holds only what the page showed (wording, versions, language) and
/// when, never an IP address, phone number or anything else about the person (data minimisation, Art. 5(1)(c)).
/// Who consented becomes known only when the code arrives in a WhatsApp message, and is recorded there.
/// The code itself is never stored: the row key is its keyed hash, so the table alone cannot be used to redeem one.
/// </summary>
public sealed partial class OptInTokenStore(
    StorageClients storage,
    KeyedHasher hasher,
    TimeProvider time,
    IOptions<ConsentOptions> consent,
    IOptions<OptInPageOptions> options,
    RetentionIndex? retention = null)
{
    public const string Prefix = "OPTIN";

    /// <summary>32 symbols, so each carries 5 bits; 0/O and 1/I are left out because people type the code by hand.</summary>
    public const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    /// <summary>Two groups of four: 8 × 5 = 40 bits, against guessing a live code within its lifetime over WhatsApp.</summary>
    private const int GroupLength = 4;
    private const string HashPurpose = "optin-code";
    private const string Row = "token";

    /// <summary>A code is found anywhere in a message, but a longer message cannot be a sign-up and is not scanned.</summary>
    private const int MaxScannedLength = 4096;

    private readonly TableClient _table = storage.Table(StorageNames.OptInTokensTable);

    public async Task<OptInToken> CreateAsync(string language, CancellationToken cancellationToken)
    {
        if (language is not ("de" or "en"))
        {
            throw new ArgumentException("The opt-in page speaks \"de\" and \"en\".", nameof(language));
        }

        var settings = consent.Value;
        var createdAt = ConsentTime.Normalize(time.GetUtcNow());
        var expiresAt = createdAt + options.Value.TokenLifetime;

        // 40 random bits collide only after about a million live codes; a collision is retried, never overwritten,
        // because overwriting would silently void someone else's sign-up.
        for (var attempt = 0; ; attempt++)
        {
            var code = NewCode();
            var tokenId = TokenIdOf(code);
            var row = new TableEntity(tokenId, Row)
            {
                ["Purpose"] = ConsentPurpose.Marketing,
                ["Language"] = language,
                ["ConsentText"] = settings.MarketingConsentText(language),
                ["ConsentTextVersion"] = settings.ConsentTextVersion,
                ["PrivacyNoticeVersion"] = settings.PrivacyNoticeVersion,
                ["CreatedAt"] = createdAt,
                ["ExpiresAt"] = expiresAt,
                ["RedeemedAt"] = null,
            };
            try
            {
                // Counted from expiry: a live code is never due, whatever the retention.
                if (retention is not null)
                {
                    await retention.NoteAsync(RetentionClasses.OptInTokens, StorageNames.OptInTokensTable, tokenId, Row, expiresAt, cancellationToken);
                }

                await _table.AddEntityAsync(row, cancellationToken);
                return new OptInToken(code, tokenId, language, createdAt, expiresAt);
            }
            catch (RequestFailedException e) when (e.Status == 409 && attempt < 3)
            {
            }
        }
    }

    /// <summary>
    /// Marks the code used and returns what was shown with it; null when the code is unknown, expired or already
    /// used. Exactly one caller wins a race for the same code (the update is conditional on the row's ETag).
    /// </summary>
    /// <param name="redeemedBy">
    /// What redeems the code (a keyed hash of the message that carried it). The same redeemer gets the redemption
    /// again, so a message redelivered after a crash between redeeming and starting the double opt-in still starts it.
    /// </param>
    public async Task<OptInTokenRedemption?> RedeemAsync(string code, DateTimeOffset now, CancellationToken cancellationToken, string? redeemedBy = null)
    {
        if (!TryExtractCode(code, out var normalized))
        {
            return null;
        }

        var tokenId = TokenIdOf(normalized);
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(tokenId, Row, cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return null;
        }

        var row = existing.Value!;
        if (row.GetDateTimeOffset("RedeemedAt") is { } earlier)
        {
            return redeemedBy is not null && row.GetString("RedeemedBy") == redeemedBy ? Redemption(tokenId, row, earlier) : null;
        }

        var redeemedAt = ConsentTime.Normalize(now);
        if (row.GetDateTimeOffset("ExpiresAt") is not { } expiresAt || expiresAt <= redeemedAt)
        {
            return null;
        }

        try
        {
            await _table.UpdateEntityAsync(
                new TableEntity(tokenId, Row) { ["RedeemedAt"] = redeemedAt, ["RedeemedBy"] = redeemedBy },
                row.ETag,
                TableUpdateMode.Merge,
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }

        return Redemption(tokenId, row, redeemedAt);
    }

    private static OptInTokenRedemption Redemption(string tokenId, TableEntity row, DateTimeOffset redeemedAt) =>
        new OptInTokenRedemption(
            tokenId,
            Text(row, "Purpose"),
            Text(row, "Language"),
            Text(row, "ConsentText"),
            Text(row, "ConsentTextVersion"),
            Text(row, "PrivacyNoticeVersion"),
            row.GetDateTimeOffset("CreatedAt") ?? redeemedAt,
            redeemedAt);

    /// <summary>
    /// Finds a code in a customer's message: the prefilled "Anmeldung: OPTIN-7KQ4-M2XD", but also the code typed by
    /// hand in lower case, with spaces or a dash autocorrected to a long dash. Returns it in canonical form.
    /// </summary>
    public static bool TryExtractCode(string? messageText, out string code)
    {
        code = "";
        if (string.IsNullOrWhiteSpace(messageText) || messageText.Length > MaxScannedLength)
        {
            return false;
        }

        var match = CodePattern().Match(messageText);
        if (!match.Success)
        {
            return false;
        }

        code = Format(match.Groups["a"].Value.ToUpperInvariant(), match.Groups["b"].Value.ToUpperInvariant());
        return true;
    }

    private static string Text(TableEntity row, string column) =>
        row.GetString(column) ?? throw new InvalidOperationException($"Opt-in token row lacks {column}.");

    private string TokenIdOf(string normalizedCode) => hasher.Hash(HashPurpose, normalizedCode);

    private static string NewCode() =>
        Format(RandomNumberGenerator.GetString(Alphabet, GroupLength), RandomNumberGenerator.GetString(Alphabet, GroupLength));

    private static string Format(string first, string second) => $"{Prefix}-{first}-{second}";

    // Letters and digits on either side must not touch the code, so "XOPTIN-..." or a fifth symbol is no match.
    // Cases are spelled out instead of IgnoreCase, which would also accept look-alikes such as the Kelvin sign for K.
    [GeneratedRegex(
        @"(?<![A-Za-z0-9])[Oo][Pp][Tt][Ii][Nn][\s\-\u2010-\u2015]*(?<a>[2-9A-HJ-NP-Za-hj-np-z]{4})[\s\-\u2010-\u2015]*(?<b>[2-9A-HJ-NP-Za-hj-np-z]{4})(?![A-Za-z0-9])",
        RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: 200)]
    private static partial Regex CodePattern();
}
