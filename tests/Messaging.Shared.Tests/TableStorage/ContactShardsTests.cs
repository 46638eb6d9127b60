using Messaging.Shared.Storage;

namespace Messaging.Shared.Tests.TableStorage;

public sealed class ContactShardsTests
{
    [Theory]
    [InlineData("00000000000000000000000000000000", 5)]
    [InlineData("0123456789abcdef0123456789abcdef", 21)]
    [InlineData("ffffffffffffffffffffffffffffffff", 5)]
    [InlineData("contact-1", 1)]
    public void A_contact_key_always_lands_in_the_same_shard_so_rows_written_by_an_older_release_are_found(string contactKey, int shard)
    {
        Assert.Equal(shard, ContactShards.Of(contactKey));
        Assert.Equal($"Messages{shard:00}", ContactShards.TableName("Messages", contactKey));
    }

    [Fact]
    public void Contact_keys_spread_evenly_over_the_shards()
    {
        var counts = new int[ContactShards.Count];
        for (var i = 0; i < 32_000; i++)
        {
            counts[ContactShards.Of(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)))[..32])]++;
        }

        Assert.All(counts, count => Assert.InRange(count, 800, 1_200));
    }

    [Fact]
    public void The_shard_tables_are_every_shard_once_and_valid_table_names()
    {
        var names = ContactShards.TableNames("Messages");

        Assert.Equal(ContactShards.Count, names.Distinct().Count());
        Assert.Equal("Messages00", names[0]);
        Assert.Equal("Messages31", names[^1]);
        Assert.All(names, name => Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,62}$", name));
    }

    [Fact]
    public void An_empty_contact_key_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ContactShards.Of(""));
    }
}
