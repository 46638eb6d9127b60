using System.Text.Json.Nodes;
using Messaging.Infra.Tests.Infrastructure;
using Messaging.Shared.Storage;

namespace Messaging.Infra.Tests;

/// <summary>Azure has the storage the code uses: the compiled template provisions every name in StorageNames.</summary>
public class AzureStorageTests
{
    private static readonly JsonObject Template = CompiledTemplate.Load();

    public static JsonObject HostJson() => JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.RepositoryRoot, "host.json")))!.AsObject();

    [Fact]
    public void Every_table_queue_and_container_the_code_names_is_provisioned_and_nothing_else() =>
        Assert.Empty(StoragePolicies.AppStorage(Template, StorageContract.FromCode()));

    [Fact]
    public void The_template_provisions_the_names_themselves_not_just_some_names()
    {
        Assert.Equal(StorageNames.Tables.Order(StringComparer.Ordinal), StoragePolicies.Names(Template, StoragePolicies.Tables).Order(StringComparer.Ordinal));
        Assert.Equal(StorageNames.Containers.Order(StringComparer.Ordinal), StoragePolicies.Names(Template, StoragePolicies.Containers).Order(StringComparer.Ordinal));
        Assert.Contains(StorageNames.InboundQueue, StoragePolicies.Names(Template, StoragePolicies.ServiceBusQueues));
        Assert.Equal(
            StorageNames.QueuesInAzure.Where(q => q.Value == QueueInAzure.StorageQueue).Select(q => q.Key).Order(StringComparer.Ordinal),
            StoragePolicies.Names(Template, StoragePolicies.StorageQueues).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_name_added_to_the_code_but_not_to_bicep_is_reported()
    {
        var code = StorageContract.FromCode();
        var withNewNames = code with
        {
            Tables = code.Tables.Append("Exports").ToHashSet(StringComparer.Ordinal),
            Containers = code.Containers.Append("exports").ToHashSet(StringComparer.Ordinal),
            Queues = new Dictionary<string, QueueInAzure>(code.Queues) { ["exports-out"] = QueueInAzure.ServiceBusQueueInAzureOnly, ["retention"] = QueueInAzure.StorageQueue },
        };

        var violations = StoragePolicies.AppStorage(Template, withNewNames);

        Assert.Contains(violations, v => v.StartsWith("table 'Exports'", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("blob container 'exports'", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("Service Bus queue 'exports-out'", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("storage queue 'retention'", StringComparison.Ordinal));
    }

    [Fact]
    public void Durable_task_hub_has_its_name_an_identity_based_connection_and_its_storage_roles() =>
        Assert.Empty(StoragePolicies.DurableTaskHub(Template, HostJson()));

    [Fact]
    public void The_deployment_package_container_is_the_only_other_container()
    {
        var containers = Arm.OfType(Template, StoragePolicies.Containers);

        Assert.Equal(2, containers.Count);
        Assert.Single(containers, c => c.Name.Contains("deploymentContainerName", StringComparison.Ordinal));
    }
}
