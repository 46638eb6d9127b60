using System.Text.Json.Nodes;
using Messaging.Infra.Tests.Infrastructure;

namespace Messaging.Infra.Tests;

/// <summary>Policy as tests over the compiled ARM JSON (every nested module included).</summary>
public class ResourcePolicyTests
{
    private static readonly JsonObject Template = CompiledTemplate.Load();

    [Fact]
    public void Every_storage_account_is_entra_only_tls12_https_private_with_soft_delete_and_versioning() =>
        Assert.Empty(InfraPolicies.StorageAccounts(Template));

    [Fact]
    public void Storage_holds_the_webhook_claim_check_and_deployment_containers()
    {
        var names = Arm.OfType(Template, "Microsoft.Storage/storageAccounts/blobServices/containers").Select(c => c.Name).ToList();

        Assert.Contains("webhook-bodies", StoragePolicies.Names(Template, StoragePolicies.Containers));
        Assert.Contains(names, n => n.Contains("deploymentContainerName", StringComparison.Ordinal));
        var storage = Arm.OfType(Template, "Microsoft.Storage/storageAccounts").Single();
        Assert.Equal("webhook-bodies", Arm.AsString(storage.Scope.Variables["webhookBodiesContainerName"]));
    }

    [Fact]
    public void Storage_is_zone_redundant_by_default()
    {
        var main = ArmScope.Root(Template);
        var sku = Arm.AsString(Arm.OfType(Template, "Microsoft.Storage/storageAccounts").Single().Json["sku"]!["name"]) ?? "";

        Assert.True(main.Parameters["zoneRedundant"]!["defaultValue"]!.GetValue<bool>());
        Assert.Contains("'Standard_ZRS'", sku, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_bus_is_entra_only_standard_or_premium_and_every_queue_dead_letters_with_bounded_retries() =>
        Assert.Empty(InfraPolicies.ServiceBus(Template));

    [Fact]
    public void Inbound_webhook_queue_has_sessions_and_duplicate_detection_with_an_explicit_window()
    {
        var inbound = Arm.OfType(Template, "Microsoft.ServiceBus/namespaces/queues").Single(q => InfraPolicies.QueueName(q) == InfraPolicies.InboundQueue);
        var properties = inbound.Properties!;

        Assert.True(properties["requiresSession"]!.GetValue<bool>());
        Assert.True(properties["requiresDuplicateDetection"]!.GetValue<bool>());
        Assert.Equal("PT1H", properties["duplicateDetectionHistoryTimeWindow"]!.GetValue<string>());
        Assert.True(properties["deadLetteringOnMessageExpiration"]!.GetValue<bool>());
        Assert.Equal(10, properties["maxDeliveryCount"]!.GetValue<int>());
    }

    [Fact]
    public void Service_bus_queues_are_exactly_the_contract_queues()
    {
        var names = Arm.OfType(Template, "Microsoft.ServiceBus/namespaces/queues").Select(InfraPolicies.QueueName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal([InfraPolicies.CampaignSendsQueue, InfraPolicies.OutboundQueue, InfraPolicies.InboundQueue], names);
    }

    [Fact]
    public void Key_vault_uses_rbac_soft_delete_and_purge_protection() =>
        Assert.Empty(InfraPolicies.KeyVaults(Template));

    [Fact]
    public void Application_insights_and_log_analytics_disable_local_auth() =>
        Assert.Empty(InfraPolicies.Monitoring(Template));

    [Fact]
    public void Every_role_assignment_is_a_least_privilege_data_role_and_never_owner_contributor_or_access_admin() =>
        Assert.Empty(InfraPolicies.RoleAssignments(Template));

    [Fact]
    public void Service_bus_roles_are_scoped_to_the_contract_queues_not_the_namespace()
    {
        var sbAssignments = Arm.OfType(Template, "Microsoft.Authorization/roleAssignments")
            .Where(r => (r.Json["scope"]?.GetValue<string>() ?? "").Contains("Microsoft.ServiceBus", StringComparison.Ordinal))
            .ToList();
        var queueVariables = sbAssignments.Select(r => r.Scope).First().Variables;

        Assert.Equal(6, sbAssignments.Count);
        Assert.All(sbAssignments, r => Assert.Equal("Microsoft.ServiceBus/namespaces/queues", r.ScopeType));
        Assert.Equal(InfraPolicies.InboundQueue, Arm.AsString(queueVariables["inboundQueueName"]));
        Assert.Equal(InfraPolicies.OutboundQueue, Arm.AsString(queueVariables["outboundQueueName"]));
        Assert.Equal(InfraPolicies.CampaignSendsQueue, Arm.AsString(queueVariables["campaignSendsQueueName"]));
    }

    [Fact]
    public void Campaign_sends_queue_paces_by_session_and_drops_a_page_enqueued_twice()
    {
        var queue = Arm.OfType(Template, "Microsoft.ServiceBus/namespaces/queues").Single(q => InfraPolicies.QueueName(q) == Messaging.Shared.Storage.StorageNames.CampaignSendsQueue);
        var properties = queue.Properties!;

        Assert.True(properties["requiresSession"]!.GetValue<bool>());
        Assert.True(properties["requiresDuplicateDetection"]!.GetValue<bool>());
        Assert.Equal("PT1H", properties["duplicateDetectionHistoryTimeWindow"]!.GetValue<string>());
        Assert.Equal(Messaging.Shared.Storage.QueueInAzure.ServiceBusQueueInAzureOnly, Messaging.Shared.Storage.StorageNames.QueuesInAzure[Messaging.Shared.Storage.StorageNames.CampaignSendsQueue]);
        Assert.DoesNotContain(Messaging.Shared.Storage.StorageNames.CampaignSendsQueue, Messaging.Shared.Storage.StorageNames.Queues);
    }

    [Fact]
    public void Function_app_is_flex_linux_dotnet_isolated_10_https_tls12_no_ftp_with_user_assigned_identity() =>
        Assert.Empty(InfraPolicies.FunctionApps(Template));

    [Fact]
    public void Basic_auth_publishing_is_disabled_for_ftp_and_scm()
    {
        var policies = Arm.OfType(Template, "Microsoft.Web/sites/basicPublishingCredentialsPolicies");

        Assert.Equal(2, policies.Count);
        Assert.All(policies, p => Assert.False(p.Properties!["allow"]!.GetValue<bool>()));
    }

    [Fact]
    public void Secrets_are_key_vault_references_and_no_key_or_connection_string_with_a_key_appears_anywhere()
    {
        Assert.Empty(InfraPolicies.NoKeysAnywhere(CompiledTemplate.Json));
        Assert.Empty(InfraPolicies.FunctionApps(Template));
    }

    [Fact]
    public void Location_parameter_allows_only_eu_regions_and_the_allowed_locations_policy_denies_the_rest() =>
        Assert.Empty(InfraPolicies.Residency(Template));

    [Fact]
    public void Location_parameter_excludes_uk_norway_and_switzerland()
    {
        var allowed = ArmScope.Root(Template).Parameters["location"]!["allowedValues"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();

        Assert.NotEmpty(allowed);
        Assert.DoesNotContain(allowed, r => r.StartsWith("uk", StringComparison.Ordinal) || r.StartsWith("norway", StringComparison.Ordinal) || r.StartsWith("switzerland", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_resource_with_diagnostic_settings_sends_them_to_the_one_workspace() =>
        Assert.Empty(InfraPolicies.Diagnostics(Template));

    [Fact]
    public void Private_networking_is_optional_and_off_by_default()
    {
        var main = ArmScope.Root(Template);
        var network = main.OwnResources().Single(r => r.Type == "Microsoft.Resources/deployments" && r.Name == "network");

        Assert.False(main.Parameters["enablePrivateNetworking"]!["defaultValue"]!.GetValue<bool>());
        Assert.Equal("[parameters('enablePrivateNetworking')]", network.Json["condition"]!.GetValue<string>());
        var subnets = Arm.OfType(Template, "Microsoft.Network/virtualNetworks").Single().Properties!["subnets"]!.AsArray();
        Assert.Contains(subnets, s => s!["properties"]!["delegations"]?.AsArray().Any(d => d!["properties"]!["serviceName"]!.GetValue<string>() == "Microsoft.App/environments") == true);
        var endpoints = network.Properties!["template"]!["variables"]!["endpoints"]!.AsArray().Select(e => e!["groupId"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["blob", "namespace", "queue", "table", "vault"], endpoints);
        // Private endpoints need Service Bus Premium: main.bicep forces it when private networking is on.
        var sku = network.Scope.OwnResources().Single(r => r.Name == "servicebus").Properties!["parameters"]!["sku"]!.ToString();
        Assert.Matches(@"if\(parameters\('enablePrivateNetworking'\), .*'Premium'", sku);
    }

    [Fact]
    public void Outputs_never_carry_secrets_keys_or_connection_strings() =>
        Assert.Empty(InfraPolicies.Outputs(Template));

    [Fact]
    public void Outputs_give_a_deployment_script_the_names_it_needs()
    {
        var outputs = ArmScope.Root(Template).Outputs;

        foreach (var name in new[] { "functionAppName", "webhookUrl", "vaultName", "storageAccountName", "inboundQueueName", "outboundQueueName", "campaignSendsQueueName", "managedIdentityClientId", "serviceBusFullyQualifiedNamespace" })
        {
            Assert.True(outputs.ContainsKey(name), $"missing output {name}");
        }

        Assert.Contains("/api/whatsapp/webhook'", outputs["webhookUrl"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
