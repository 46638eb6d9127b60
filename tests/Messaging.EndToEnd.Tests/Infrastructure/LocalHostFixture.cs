
namespace Messaging.EndToEnd.Tests.Infrastructure;

/// <summary>One Azurite and one LocalHost process shared by the end-to-end tests that need no special set-up.</summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();

    public LocalHostProcess Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        Host = await LocalHostProcess.StartAsync(LocalHostProcess.NewSettings(Azurite.ConnectionString));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class LocalHostCollection : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "LocalHost";
}
