namespace Messaging.Shared.Tests.Infrastructure;

[Collection(AzuriteCollection.Name)]
public sealed class AzuriteSmokeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Storage_created_on_azurite_is_reachable()
    {
        var storage = await azurite.CreateStorageAsync();
        Assert.True(await storage.IsReachableAsync(CancellationToken.None));
    }
}
