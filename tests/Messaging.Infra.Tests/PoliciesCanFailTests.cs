using System.Text.Json.Nodes;
using Messaging.Infra.Tests.Infrastructure;

namespace Messaging.Infra.Tests;

/// <summary>
/// The policies are only worth something if they catch a bad template: each case breaks one property in a
/// copy of the compiled template and expects the matching policy to report it.
/// </summary>
public class PoliciesCanFailTests
{
    private static readonly Dictionary<string, (Action<JsonObject> Break, Func<JsonObject, List<string>> Policy)> Cases = new()
    {
        ["storage shared key access enabled"] = (t => First(t, "Microsoft.Storage/storageAccounts")["properties"]!["allowSharedKeyAccess"] = true, InfraPolicies.StorageAccounts),
        ["storage TLS 1.0 allowed"] = (t => First(t, "Microsoft.Storage/storageAccounts")["properties"]!["minimumTlsVersion"] = "TLS1_0", InfraPolicies.StorageAccounts),
        ["blob versioning off"] = (t => First(t, "Microsoft.Storage/storageAccounts/blobServices")["properties"]!["isVersioningEnabled"] = false, InfraPolicies.StorageAccounts),
        ["service bus SAS keys enabled"] = (t => First(t, "Microsoft.ServiceBus/namespaces")["properties"]!["disableLocalAuth"] = false, InfraPolicies.ServiceBus),
        ["service bus basic tier"] = (t => First(t, "Microsoft.ServiceBus/namespaces")["sku"]!["name"] = "Basic", InfraPolicies.ServiceBus),
        ["inbound queue without a duplicate detection window"] = (t => Queue(t, InfraPolicies.InboundQueue)["properties"]!.AsObject().Remove("duplicateDetectionHistoryTimeWindow"), InfraPolicies.ServiceBus),
        ["outbound queue without sessions"] = (t => Queue(t, InfraPolicies.OutboundQueue)["properties"]!["requiresSession"] = false, InfraPolicies.ServiceBus),
        ["campaign sends queue without sessions"] = (t => Queue(t, InfraPolicies.CampaignSendsQueue)["properties"]!["requiresSession"] = false, InfraPolicies.ServiceBus),
        ["campaign sends queue without duplicate detection"] = (t => Queue(t, InfraPolicies.CampaignSendsQueue)["properties"]!["requiresDuplicateDetection"] = false, InfraPolicies.ServiceBus),
        ["the campaign sends Service Bus queue is missing"] = (t => Remove(Queue(t, InfraPolicies.CampaignSendsQueue)), AppStorage),
        ["queue without max delivery count"] = (t => Queue(t, InfraPolicies.OutboundQueue)["properties"]!.AsObject().Remove("maxDeliveryCount"), InfraPolicies.ServiceBus),
        ["key vault without purge protection"] = (t => First(t, "Microsoft.KeyVault/vaults")["properties"]!["enablePurgeProtection"] = false, InfraPolicies.KeyVaults),
        ["app insights local auth"] = (t => First(t, "Microsoft.Insights/components")["properties"]!["DisableLocalAuth"] = false, InfraPolicies.Monitoring),
        ["owner role assigned"] = (t => First(t, "Microsoft.Authorization/roleAssignments")["properties"]!["roleDefinitionId"] =
            "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635')]", InfraPolicies.RoleAssignments),
        ["contributor role assigned"] = (t => First(t, "Microsoft.Authorization/roleAssignments")["properties"]!["roleDefinitionId"] =
            "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42ef-84ff-f35b04ab9f26')]", InfraPolicies.RoleAssignments),
        ["function app over plain HTTP"] = (t => First(t, "Microsoft.Web/sites")["properties"]!["httpsOnly"] = false, InfraPolicies.FunctionApps),
        ["function app FTPS allowed"] = (t => First(t, "Microsoft.Web/sites")["properties"]!["siteConfig"]!["ftpsState"] = "FtpsOnly", InfraPolicies.FunctionApps),
        ["function app on .NET 8"] = (t => First(t, "Microsoft.Web/sites")["properties"]!["functionAppConfig"]!["runtime"]!["version"] = "8.0", InfraPolicies.FunctionApps),
        ["storage connection string with a key"] = (t => First(t, "Microsoft.Web/sites/config")["properties"]!["AzureWebJobsStorage"] =
            "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc", InfraPolicies.FunctionApps),
        ["secret as a plain value"] = (t => First(t, "Microsoft.Web/sites/config")["properties"]!["Security__Pepper"] = "not-a-reference", InfraPolicies.FunctionApps),
        ["UK region allowed"] = (t => t["parameters"]!["location"]!["allowedValues"]!.AsArray().Add("uksouth"), InfraPolicies.Residency),
        ["policy assignment removed"] = (t => t["resources"]!.AsArray().Remove(First(t, "Microsoft.Authorization/policyAssignments")), InfraPolicies.Residency),
        ["diagnostic setting removed"] = (t => Remove(t, "Microsoft.Insights/diagnosticSettings"), InfraPolicies.Diagnostics),
        ["output named like a key"] = (t => t["outputs"]!["storageAccountKey"] = new JsonObject { ["type"] = "string", ["value"] = "x" }, InfraPolicies.Outputs),
        ["a table the code names is missing"] = (t => StorageVariable(t, "appTableNames").Remove(StorageVariable(t, "appTableNames").First(n => n!.GetValue<string>() == "Consent")), AppStorage),
        ["a table nobody names"] = (t => StorageVariable(t, "appTableNames").Add("Leftover"), AppStorage),
        ["fewer contact shard tables than the code uses"] = (t => StorageScope(t).Variables["contactShardCount"] = 31, AppStorage),
        ["a contact-sharded table the code does not shard"] = (t => StorageVariable(t, "contactShardedTableNames").Add("Outbox"), AppStorage),
        ["the claim-check container is missing"] = (t => StorageVariable(t, "appContainerNames").Clear(), AppStorage),
        ["a storage queue nobody reads in Azure"] = (t => StorageVariable(t, "appQueueNames").Add("webhooks-inbound"), AppStorage),
        ["the workflow storage queue is missing"] = (t => StorageVariable(t, "appQueueNames").Clear(), AppStorage),
        ["the inbound Service Bus queue is missing"] = (t => Remove(Queue(t, InfraPolicies.InboundQueue)), AppStorage),
        ["storage names prefixed in Azure"] = (t => First(t, "Microsoft.Web/sites/config")["properties"]!["Storage__NamePrefix"] = "x", AppStorage),
        ["task hub name setting missing"] = (t => First(t, "Microsoft.Web/sites/config")["properties"]!.AsObject().Remove("TASKHUB_NAME"), DurableTaskHub),
        ["task hub name invalid"] = (t => ArmScope.Root(t).Parameters["taskHubName"]!["defaultValue"] = "messaging-hub", DurableTaskHub),
        ["host storage without the table endpoint"] = (t => First(t, "Microsoft.Web/sites/config")["properties"]!.AsObject().Remove("AzureWebJobsStorage__tableServiceUri"), DurableTaskHub),
        ["host storage with a connection string"] = (t => First(t, "Microsoft.Web/sites/config")["properties"]!["AzureWebJobsStorage"] = "UseDevelopmentStorage=true", DurableTaskHub),
        ["host storage without the identity's client id"] = (t => First(t, "Microsoft.Web/sites/config")["properties"]!.AsObject().Remove("AzureWebJobsStorage__clientId"), DurableTaskHub),
        ["queue role for the task hub missing"] = (t => Remove(StorageRole(t, "974c5e8b-45b9-4653-ba55-5f855dd0fb88")), DurableTaskHub),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Policy_reports_a_broken_template(string caseName)
    {
        var (breakIt, policy) = Cases[caseName];
        var intact = CompiledTemplate.Load();
        var broken = CompiledTemplate.Load();

        breakIt(broken);

        Assert.Empty(policy(intact));
        Assert.NotEmpty(policy(broken));
    }

    [Fact]
    public void Key_scan_reports_a_key_anywhere_in_the_template() =>
        Assert.NotEmpty(InfraPolicies.NoKeysAnywhere(CompiledTemplate.Json.Replace("managedidentity", "AccountKey=abc", StringComparison.Ordinal)));

    private static JsonObject First(JsonObject template, string type) =>
        Arm.OfType(template, type)[0].Json;

    private static JsonObject Queue(JsonObject template, string name) =>
        Arm.OfType(template, "Microsoft.ServiceBus/namespaces/queues").Single(q => InfraPolicies.QueueName(q) == name).Json;

    private static void Remove(JsonObject template, string type) => Remove(First(template, type));

    private static void Remove(JsonObject resource) => ((JsonArray)resource.Parent!).Remove(resource);

    private static List<string> AppStorage(JsonObject template) => StoragePolicies.AppStorage(template, StorageContract.FromCode());

    private static List<string> DurableTaskHub(JsonObject template) => StoragePolicies.DurableTaskHub(template, AzureStorageTests.HostJson());

    private static JsonArray StorageVariable(JsonObject template, string name) =>
        StorageScope(template).Variables[name]!.AsArray();

    private static ArmScope StorageScope(JsonObject template) => Arm.OfType(template, "Microsoft.Storage/storageAccounts").Single().Scope;

    private static JsonObject StorageRole(JsonObject template, string roleId) =>
        Arm.OfType(template, "Microsoft.Authorization/roleAssignments")
            .Single(r => r.ScopeType == "Microsoft.Storage/storageAccounts" && r.Scope.GuidsIn(Arm.AsString(r.Json["properties"]?["roleDefinitionId"]) ?? "").Contains(roleId))
            .Json;
}
