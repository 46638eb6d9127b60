using System.Security.Cryptography;
using Azure.Data.Tables;
using Messaging.Shared.Consent;
using Messaging.Shared.Consent.OptInPage;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Messaging.Shared.Tests.Consent;

[Collection(AzuriteCollection.Name)]
public sealed class OptInTokenStoreTests(AzuriteFixture azurite)
{
    private const string CodeShape = "^OPTIN-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$";

    private static readonly ConsentOptions Consent = new()
    {
        BusinessName = "Bäckerei Test",
        BusinessPhoneNumber = "4930123456",
        PrivacyNoticeVersion = "privacy-7",
        ConsentTextVersion = "marketing-3",
        MarketingConsentTextDe = "Ja, ich möchte Angebote per WhatsApp erhalten.",
        MarketingConsentTextEn = "Yes, I want offers on WhatsApp.",
    };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 30, 15, TimeSpan.Zero));

    [Fact]
    public async Task Issued_codes_are_unique_typable_and_carry_the_shown_wording()
    {
        var (store, _) = await NewStoreAsync();

        var tokens = new List<OptInToken>();
        for (var i = 0; i < 50; i++)
        {
            tokens.Add(await store.CreateAsync(i % 2 == 0 ? "de" : "en", CancellationToken.None));
        }

        Assert.All(tokens, t => Assert.Matches(CodeShape, t.Code));
        Assert.Equal(tokens.Count, tokens.Select(t => t.Code).Distinct().Count());
        Assert.Equal(tokens.Count, tokens.Select(t => t.TokenId).Distinct().Count());
        Assert.All(tokens, t => Assert.Equal(_time.GetUtcNow().AddHours(24), t.ExpiresAt));
    }

    [Fact]
    public async Task The_table_holds_no_code_in_clear_and_nothing_about_the_visitor()
    {
        var (store, table) = await NewStoreAsync();
        var token = await store.CreateAsync("de", CancellationToken.None);

        var rows = await table.QueryAsync<TableEntity>().ToListAsync();

        var row = Assert.Single(rows);
        Assert.Equal(token.TokenId, row.PartitionKey);
        Assert.DoesNotContain(token.Code[6..10], row.PartitionKey + row.RowKey, StringComparison.OrdinalIgnoreCase);
        var values = row.Where(p => p.Key is not ("odata.etag" or "Timestamp")).Select(p => p.Value?.ToString() ?? "").ToList();
        Assert.DoesNotContain(values, v => v.Contains(token.Code[6..10], StringComparison.OrdinalIgnoreCase) || v.Contains(token.Code[11..], StringComparison.OrdinalIgnoreCase));
        Assert.Equal(
            ["ConsentText", "ConsentTextVersion", "CreatedAt", "ExpiresAt", "Language", "PrivacyNoticeVersion", "Purpose"],
            row.Keys.Where(k => k is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp" or "RedeemedAt")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_message_that_redeemed_a_code_gets_it_again_when_redelivered_and_any_other_message_does_not()
    {
        var (store, _) = await NewStoreAsync();
        var token = await store.CreateAsync("de", CancellationToken.None);

        var first = await store.RedeemAsync(token.Code, _time.GetUtcNow(), CancellationToken.None, redeemedBy: "evidence-of-message-1");
        var redelivered = await store.RedeemAsync(token.Code, _time.GetUtcNow().AddMinutes(2), CancellationToken.None, redeemedBy: "evidence-of-message-1");
        var someoneElse = await store.RedeemAsync(token.Code, _time.GetUtcNow(), CancellationToken.None, redeemedBy: "evidence-of-message-2");

        Assert.NotNull(first);
        Assert.Equal(first, redelivered);
        Assert.Null(someoneElse);
    }

    [Fact]
    public async Task A_code_is_redeemed_once_with_the_wording_and_versions_shown_when_it_was_issued()
    {
        var (store, _) = await NewStoreAsync();
        var token = await store.CreateAsync("en", CancellationToken.None);
        var later = _time.GetUtcNow().AddMinutes(7);

        var first = await store.RedeemAsync(token.Code, later, CancellationToken.None);
        var second = await store.RedeemAsync(token.Code, later.AddSeconds(1), CancellationToken.None);

        Assert.NotNull(first);
        Assert.Equal(
            new OptInTokenRedemption(token.TokenId, ConsentPurpose.Marketing, "en", Consent.MarketingConsentTextEn, "marketing-3", "privacy-7", token.CreatedAt, later),
            first);
        Assert.Equal(new ConsentProof(ConsentSources.OptInPage, ConsentChannels.Web, Consent.MarketingConsentTextEn, "marketing-3", "privacy-7", token.TokenId), first.ToProof());
        Assert.Null(second);
    }

    [Fact]
    public async Task A_code_typed_in_lower_case_redeems_the_same_token()
    {
        var (store, _) = await NewStoreAsync();
        var token = await store.CreateAsync("de", CancellationToken.None);

        var redemption = await store.RedeemAsync(token.Code.ToLowerInvariant(), _time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(token.TokenId, redemption?.TokenId);
    }

    [Fact]
    public async Task Of_two_concurrent_redemptions_exactly_one_wins()
    {
        var (store, _) = await NewStoreAsync();
        var token = await store.CreateAsync("de", CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.RedeemAsync(token.Code, _time.GetUtcNow(), CancellationToken.None)));

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        var (store, _) = await NewStoreAsync();
        var token = await store.CreateAsync("de", CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(24));

        Assert.Null(await store.RedeemAsync(token.Code, _time.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task A_code_that_was_never_issued_is_refused()
    {
        var (store, _) = await NewStoreAsync();
        await store.CreateAsync("de", CancellationToken.None);

        Assert.Null(await store.RedeemAsync("OPTIN-2222-2222", _time.GetUtcNow(), CancellationToken.None));
        Assert.Null(await store.RedeemAsync("not a code", _time.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task The_lifetime_comes_from_settings_and_the_store_is_registered_with_the_consent_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Security:Pepper"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:NamePrefix"] = "t" + Guid.NewGuid().ToString("N")[..10],
            ["Consent:BusinessName"] = "Bäckerei Test",
            ["Consent:BusinessPhoneNumber"] = "4930123456",
            ["Consent:PrivacyNoticeVersion"] = "privacy-7",
            ["Consent:ConsentTextVersion"] = "marketing-3",
            ["Consent:MarketingConsentTextDe"] = "Ja.",
            ["Consent:MarketingConsentTextEn"] = "Yes.",
            ["OptInPage:TokenLifetime"] = "02:00:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddOptions<Configuration.SecurityOptions>().Bind(configuration.GetSection("Security"));
        services.AddOptions<Configuration.StorageOptions>().Bind(configuration.GetSection("Storage"));
        services.AddSingleton<StorageClients>();
        services.AddSingleton<KeyedHasher>();
        services.AddOptInPage(configuration);
        services.AddOptInPage(configuration);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await provider.GetRequiredService<StorageClients>().EnsureCreatedAsync(CancellationToken.None);
        var store = provider.GetRequiredService<OptInTokenStore>();

        var token = await store.CreateAsync("de", CancellationToken.None);

        Assert.Equal(_time.GetUtcNow().AddHours(2), token.ExpiresAt);
        Assert.Equal("Ja.", (await store.RedeemAsync(token.Code, _time.GetUtcNow(), CancellationToken.None))?.ConsentText);
        Assert.Single(services, d => d.ServiceType == typeof(IConfigureOptions<ConsentOptions>));
    }

    [Theory]
    [InlineData("Anmeldung: OPTIN-7KQ4-M2XD", "OPTIN-7KQ4-M2XD")]
    [InlineData("Sign-up: OPTIN-7KQ4-M2XD", "OPTIN-7KQ4-M2XD")]
    [InlineData("  optin-7kq4-m2xd  ", "OPTIN-7KQ4-M2XD")]
    [InlineData("Hallo! Anmeldung:\nOPTIN 7KQ4 M2XD\nDanke", "OPTIN-7KQ4-M2XD")]
    [InlineData("Anmeldung: OPTIN\u20137KQ4\u2013M2XD", "OPTIN-7KQ4-M2XD")]
    [InlineData("Code (OPTIN-7KQ4M2XD).", "OPTIN-7KQ4-M2XD")]
    public void A_code_is_found_in_a_customers_message(string message, string expected)
    {
        Assert.True(OptInTokenStore.TryExtractCode(message, out var code));
        Assert.Equal(expected, code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Hallo, ich hätte gern Angebote")]
    [InlineData("OPTIN-7KQ4")]
    [InlineData("OPTIN-7KQ4-M2XD9")]
    [InlineData("XOPTIN-7KQ4-M2XD")]
    [InlineData("OPTIN-0KQ4-M2XD")]
    [InlineData("OPTIN-IKQ4-M2XD")]
    [InlineData("OPTIN-7KQ4-M2X\u212A")]
    public void Text_without_a_well_formed_code_yields_none(string? message)
    {
        Assert.False(OptInTokenStore.TryExtractCode(message, out var code));
        Assert.Equal("", code);
    }

    private async Task<(OptInTokenStore Store, TableClient Table)> NewStoreAsync()
    {
        var storage = await azurite.CreateStorageAsync();
        var store = new OptInTokenStore(
            storage,
            new KeyedHasher(RandomNumberGenerator.GetBytes(32)),
            _time,
            Options.Create(Consent),
            Options.Create(new OptInPageOptions()));
        return (store, storage.Table(StorageNames.OptInTokensTable));
    }
}
