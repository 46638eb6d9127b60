namespace Messaging.Shared.Tests.Infrastructure;

/// <summary>One Azurite for every integration test of this assembly (xunit needs the collection in the test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
