namespace Messaging.Functions.Tests.Durable;

/// <summary>One Azurite for the Durable tests (the workflow registry the dispatcher keeps lives in tables).</summary>
[CollectionDefinition(Name)]
public sealed class DurableCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Durable";
}
