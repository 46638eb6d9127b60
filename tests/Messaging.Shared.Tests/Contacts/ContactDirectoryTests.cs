using Messaging.Shared.Contacts;
using Messaging.Shared.Tests.Infrastructure;

namespace Messaging.Shared.Tests.Contacts;

[Collection(AzuriteCollection.Name)]
public sealed class ContactDirectoryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_contact_first_known_by_phone_from_the_crm_stays_one_contact_when_its_user_id_appears()
    {
        await using var core = await CoreHarness.StartAsync(azurite);
        var directory = core.Get<ContactDirectory>();
        var fromCrm = await directory.ResolveOrCreateByPhoneAsync("+4915112345678", CancellationToken.None);

        var fromWebhook = await directory.ResolveInboundAsync("4915112345678", "DE.1349", "Erika", DateTimeOffset.UtcNow, CancellationToken.None);
        var byUserIdOnly = await directory.ResolveInboundAsync(null, "DE.1349", null, null, CancellationToken.None);

        Assert.Equal(fromCrm, fromWebhook);
        Assert.Equal(fromCrm, byUserIdOnly);
        var address = await directory.GetAddressAsync(fromCrm, CancellationToken.None);
        Assert.Equal(("+4915112345678", "DE.1349"), (address!.PhoneE164, address.UserId));
    }

    [Fact]
    public async Task Contact_keys_are_keyed_hashes_that_reveal_no_number_and_differ_per_pepper()
    {
        await using var first = await CoreHarness.StartAsync(azurite);
        await using var second = await CoreHarness.StartAsync(azurite);
        var a = await first.Get<ContactDirectory>().ResolveInboundAsync("4915112345678", null, null, null, CancellationToken.None);
        var b = await second.Get<ContactDirectory>().ResolveInboundAsync("4915112345678", null, null, null, CancellationToken.None);

        Assert.Matches("^[0-9a-f]{32}$", a);
        Assert.NotEqual(a, b);
        Assert.Equal(a, await first.Get<ContactDirectory>().ResolveInboundAsync("4915112345678", null, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_username_user_without_phone_number_is_keyed_by_user_id()
    {
        await using var core = await CoreHarness.StartAsync(azurite);
        var directory = core.Get<ContactDirectory>();
        var key = await directory.ResolveInboundAsync(null, "DE.777", "kiezbaecker", DateTimeOffset.UtcNow, CancellationToken.None) ?? throw new InvalidOperationException("Not resolved.");
        var address = await directory.GetAddressAsync(key, CancellationToken.None);
        Assert.Null(address!.PhoneE164);
        Assert.Equal("DE.777", address.UserId);
    }

    [Fact]
    public async Task A_changed_number_moves_the_contact_and_frees_the_old_number()
    {
        await using var core = await CoreHarness.StartAsync(azurite);
        var directory = core.Get<ContactDirectory>();
        var key = await directory.ResolveInboundAsync("4915112345678", null, null, null, CancellationToken.None) ?? throw new InvalidOperationException("Not resolved.");

        await directory.ChangeNumberAsync(key, "4916098765432", CancellationToken.None);

        Assert.Equal(key, await directory.FindByPhoneAsync("+4916098765432", CancellationToken.None));
        Assert.Null(await directory.FindByPhoneAsync("+4915112345678", CancellationToken.None));
        Assert.Equal("+4916098765432", (await directory.GetAddressAsync(key, CancellationToken.None))!.PhoneE164);
    }

    [Fact]
    public async Task The_last_inbound_time_only_moves_forward()
    {
        await using var core = await CoreHarness.StartAsync(azurite);
        var directory = core.Get<ContactDirectory>();
        var late = DateTimeOffset.UtcNow;
        var key = await directory.ResolveInboundAsync("4915112345678", null, null, late, CancellationToken.None) ?? throw new InvalidOperationException("Not resolved.");
        await directory.ResolveInboundAsync("4915112345678", null, null, late.AddHours(-3), CancellationToken.None);

        var address = await directory.GetAddressAsync(key, CancellationToken.None);
        Assert.Equal(late.ToUnixTimeSeconds(), address!.LastInboundAt!.Value.ToUnixTimeSeconds());
        Assert.True(address.IsServiceWindowOpen(late.AddHours(23)));
        Assert.False(address.IsServiceWindowOpen(late.AddHours(24)));
    }

    [Fact]
    public async Task Shredding_a_contacts_data_key_makes_its_stored_identifiers_unreadable()
    {
        await using var core = await CoreHarness.StartAsync(azurite);
        var directory = core.Get<ContactDirectory>();
        var key = await directory.ResolveInboundAsync("4915112345678", null, "Erika", null, CancellationToken.None) ?? throw new InvalidOperationException("Not resolved.");

        await core.Get<ContactKeyring>().ShredAsync(key, CancellationToken.None);

        Assert.Null(await directory.GetAddressAsync(key, CancellationToken.None));
    }

    [Theory]
    [InlineData("+49 151 12345678", "+4915112345678")]
    [InlineData("0049 151 12345678", "+4915112345678")]
    [InlineData("+1 650-555-1234", "+16505551234")]
    [InlineData("+49 123", null)]
    [InlineData("015112345678", null)]
    [InlineData("not a number", null)]
    public void Phone_numbers_are_normalised_to_e164_or_refused(string input, string? expected) =>
        Assert.Equal(expected, E164.TryNormalize(input));
}
