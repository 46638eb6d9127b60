using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;

namespace Messaging.Infra.Tests.Infrastructure;

/// <summary>
/// The infrastructure rules, as functions from a compiled ARM template to the list of violations.
/// Tests assert the real template has none, and that deliberately broken copies have some.
/// A rule that finds nothing to check reports that too, so it can never pass vacuously.
/// </summary>
public static partial class InfraPolicies
{
    /// <summary>Azure regions in EU member states (no UK, Norway or Switzerland).</summary>
    public static readonly IReadOnlySet<string> EuRegions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "westeurope", "northeurope", "swedencentral", "swedensouth", "germanywestcentral", "germanynorth",
        "francecentral", "francesouth", "italynorth", "spaincentral", "polandcentral", "austriaeast",
        "belgiumcentral", "denmarkeast", "finlandcentral", "greececentral",
    };

    public const string AllowedLocationsPolicyDefinitionId = "e56962a6-4747-49cd-b67b-bf8b01975c4c";

    public const string InboundQueue = "webhooks-inbound";
    public const string OutboundQueue = "outbound-messages";
    public const string CampaignSendsQueue = "campaign-sends";

    /// <summary>Data-plane roles the app's identity may hold.</summary>
    public static readonly IReadOnlyDictionary<string, string> AllowedRoles = new Dictionary<string, string>
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"] = "Azure Service Bus Data Sender",
        ["4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"] = "Azure Service Bus Data Receiver",
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
    };

    /// <summary>Roles the app needs to work at all (every one must be assigned).</summary>
    public static readonly IReadOnlyList<string> RequiredRoles =
    [
        "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", "4633458b-17de-408a-b874-0445c86b69e6",
        "3913510d-42f4-4e42-8a64-420c390055eb",
    ];

    public static readonly IReadOnlyDictionary<string, string> ForbiddenRoles = new Dictionary<string, string>
    {
        ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635"] = "Owner",
        ["b24988ac-6180-42ef-84ff-f35b04ab9f26"] = "Contributor",
        ["18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"] = "User Access Administrator",
        ["f58310d9-a9f6-439a-9e8d-f62e7b41a168"] = "Role Based Access Control Administrator",
        ["090c5cfd-751d-490a-894a-3ce6f1109419"] = "Azure Service Bus Data Owner",
        ["00482a5a-887f-4fb3-b363-3b7fe8e74483"] = "Key Vault Administrator",
    };

    /// <summary>App setting -> Key Vault secret name (the product's contract).</summary>
    public static readonly IReadOnlyDictionary<string, string> SecretSettings = new Dictionary<string, string>
    {
        ["Meta__AppSecret"] = "meta-app-secret",
        ["Meta__VerifyToken"] = "meta-verify-token",
        ["Meta__AccessToken"] = "meta-access-token",
        ["Security__Pepper"] = "security-pepper",
        ["Security__MasterKey"] = "security-master-key",
    };

    public static readonly IReadOnlyList<string> RequiredPlainSettings =
    [
        "Meta__PhoneNumberId", "Meta__GraphApiVersion", "Storage__TableServiceUri", "Storage__QueueServiceUri", "Storage__BlobServiceUri",
        "ServiceBusConnection__fullyQualifiedNamespace", "ServiceBusConnection__credential", "ServiceBusConnection__clientId",
        "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri", "TASKHUB_NAME", "AZURE_CLIENT_ID",
        "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    /// <summary>
    /// Resource types that support diagnostic settings and must send them to the workspace. Deliberately not
    /// listed: Microsoft.Insights/components (workspace-based, its telemetry is already in the workspace),
    /// user-assigned identities, private DNS zones and role/policy assignments (no diagnostic settings), and
    /// private endpoints (no log categories).
    /// </summary>
    public static readonly IReadOnlySet<string> TypesWithDiagnostics = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Microsoft.Storage/storageAccounts", "Microsoft.Storage/storageAccounts/blobServices",
        "Microsoft.Storage/storageAccounts/queueServices", "Microsoft.Storage/storageAccounts/tableServices",
        "Microsoft.ServiceBus/namespaces", "Microsoft.KeyVault/vaults", "Microsoft.Web/sites", "Microsoft.Web/serverfarms",
        "Microsoft.OperationalInsights/workspaces", "Microsoft.Network/virtualNetworks", "Microsoft.Network/networkSecurityGroups",
    };

    public static List<string> StorageAccounts(JsonObject root)
    {
        var violations = new List<string>();
        var accounts = Arm.OfType(root, "Microsoft.Storage/storageAccounts");
        if (accounts.Count == 0)
        {
            violations.Add("no storage account found");
        }

        foreach (var a in accounts)
        {
            Require(violations, a, "properties.allowSharedKeyAccess", n => Arm.IsBool(n, false), "shared keys must be disabled");
            Require(violations, a, "properties.minimumTlsVersion", n => Arm.IsString(n, "TLS1_2"), "minimum TLS must be TLS1_2");
            Require(violations, a, "properties.allowBlobPublicAccess", n => Arm.IsBool(n, false), "public blob access must be off");
            Require(violations, a, "properties.supportsHttpsTrafficOnly", n => Arm.IsBool(n, true), "HTTPS only");
            Require(violations, a, "properties.defaultToOAuthAuthentication", n => Arm.IsBool(n, true), "Entra ID by default");

            // Each account's blob service (declared alongside it) keeps deleted blobs and versions.
            var blobServices = a.Scope.OwnResources().Where(r => r.Type == "Microsoft.Storage/storageAccounts/blobServices").ToList();
            if (blobServices.Count == 0)
            {
                violations.Add($"{a}: no blob service with soft delete and versioning");
            }

            foreach (var b in blobServices)
            {
                Require(violations, b, "properties.deleteRetentionPolicy.enabled", n => Arm.IsBool(n, true), "blob soft delete");
                Require(violations, b, "properties.deleteRetentionPolicy.days", n => Arm.AsInt(n) is > 0, "blob soft delete days");
                Require(violations, b, "properties.isVersioningEnabled", n => Arm.IsBool(n, true), "blob versioning");
                Require(violations, b, "properties.containerDeleteRetentionPolicy.enabled", n => Arm.IsBool(n, true), "container soft delete");
            }
        }

        foreach (var c in Arm.OfType(root, "Microsoft.Storage/storageAccounts/blobServices/containers"))
        {
            Require(violations, c, "properties.publicAccess", n => Arm.IsString(n, "None"), "containers are private");
        }

        return violations;
    }

    public static List<string> ServiceBus(JsonObject root)
    {
        var violations = new List<string>();
        var namespaces = Arm.OfType(root, "Microsoft.ServiceBus/namespaces");
        if (namespaces.Count == 0)
        {
            violations.Add("no Service Bus namespace found");
        }

        foreach (var ns in namespaces)
        {
            Require(violations, ns, "properties.disableLocalAuth", n => Arm.IsBool(n, true), "local (SAS) auth must be disabled");
            Require(violations, ns, "sku.name", n => Arm.AsString(n) is "Standard" or "Premium", "sku must be Standard or Premium (sessions, duplicate detection)");
        }

        var queues = Arm.OfType(root, "Microsoft.ServiceBus/namespaces/queues");
        foreach (var q in queues)
        {
            Require(violations, q, "properties.deadLetteringOnMessageExpiration", n => Arm.IsBool(n, true), "dead-letter on expiry");
            Require(violations, q, "properties.maxDeliveryCount", n => Arm.AsInt(n) is >= 1 and <= 100, "max delivery count set");
            Require(violations, q, "properties.lockDuration", IsDuration, "explicit lock duration");
            Require(violations, q, "properties.defaultMessageTimeToLive", IsDuration, "explicit TTL");

            var name = QueueName(q);
            if (name is InboundQueue or OutboundQueue or CampaignSendsQueue)
            {
                Require(violations, q, "properties.requiresSession", n => Arm.IsBool(n, true), "sessions (by contact, or by business number)");
                Require(violations, q, "properties.requiresDuplicateDetection", n => Arm.IsBool(n, true), "duplicate detection");
                Require(violations, q, "properties.duplicateDetectionHistoryTimeWindow", IsDuration, "explicit duplicate detection window");
            }
        }

        foreach (var required in new[] { InboundQueue, OutboundQueue, CampaignSendsQueue })
        {
            if (!queues.Any(q => QueueName(q) == required))
            {
                violations.Add($"queue '{required}' not found");
            }
        }

        return violations;
    }

    public static List<string> KeyVaults(JsonObject root)
    {
        var violations = new List<string>();
        var vaults = Arm.OfType(root, "Microsoft.KeyVault/vaults");
        if (vaults.Count == 0)
        {
            violations.Add("no Key Vault found");
        }

        foreach (var v in vaults)
        {
            Require(violations, v, "properties.enableRbacAuthorization", n => Arm.IsBool(n, true), "RBAC authorization");
            Require(violations, v, "properties.enableSoftDelete", n => Arm.IsBool(n, true), "soft delete");
            Require(violations, v, "properties.enablePurgeProtection", n => Arm.IsBool(n, true), "purge protection");
            if (v.Has("properties.accessPolicies") && v.Json["properties"]!["accessPolicies"] is JsonArray { Count: > 0 })
            {
                violations.Add($"{v}: access policies must not be used");
            }
        }

        return violations;
    }

    public static List<string> Monitoring(JsonObject root)
    {
        var violations = new List<string>();
        var components = Arm.OfType(root, "Microsoft.Insights/components");
        var workspaces = Arm.OfType(root, "Microsoft.OperationalInsights/workspaces");
        if (components.Count == 0 || workspaces.Count == 0)
        {
            violations.Add("Application Insights or Log Analytics not found");
        }

        foreach (var c in components)
        {
            Require(violations, c, "properties.DisableLocalAuth", n => Arm.IsBool(n, true), "local auth disabled");
            Require(violations, c, "properties.WorkspaceResourceId", n => n is not null, "workspace-based");
        }

        foreach (var w in workspaces)
        {
            Require(violations, w, "properties.features.disableLocalAuth", n => Arm.IsBool(n, true), "local auth disabled");
        }

        return violations;
    }

    public static List<string> RoleAssignments(JsonObject root)
    {
        var violations = new List<string>();
        var assignments = Arm.OfType(root, "Microsoft.Authorization/roleAssignments");
        var assigned = new HashSet<string>();
        foreach (var ra in assignments)
        {
            var expression = Arm.AsString(ra.Json["properties"]?["roleDefinitionId"]) ?? "";
            var ids = ra.Scope.GuidsIn(expression);
            if (ids.Count != 1)
            {
                violations.Add($"{ra}: role definition id must name exactly one role, found '{expression}'");
                continue;
            }

            var id = ids[0];
            assigned.Add(id);
            if (ForbiddenRoles.TryGetValue(id, out var forbidden))
            {
                violations.Add($"{ra}: assigns {forbidden}, which is never allowed");
            }
            else if (!AllowedRoles.ContainsKey(id))
            {
                violations.Add($"{ra}: role {id} is not in the least-privilege set");
            }

            Require(violations, ra, "properties.principalType", n => Arm.IsString(n, "ServicePrincipal"), "assigned to the app's service principal");
        }

        foreach (var required in RequiredRoles.Where(r => !assigned.Contains(r)))
        {
            violations.Add($"role {AllowedRoles[required]} ({required}) is never assigned");
        }

        return violations;
    }

    public static List<string> FunctionApps(JsonObject root)
    {
        var violations = new List<string>();
        var sites = Arm.OfType(root, "Microsoft.Web/sites");
        if (sites.Count == 0)
        {
            violations.Add("no Function App found");
        }

        foreach (var s in sites)
        {
            Require(violations, s, "kind", n => Arm.AsString(n)?.Contains("linux", StringComparison.Ordinal) == true, "Linux");
            Require(violations, s, "properties.httpsOnly", n => Arm.IsBool(n, true), "HTTPS only");
            Require(violations, s, "properties.siteConfig.minTlsVersion", n => Arm.IsString(n, "1.2"), "TLS 1.2 minimum");
            Require(violations, s, "properties.siteConfig.ftpsState", n => Arm.IsString(n, "Disabled"), "FTPS disabled");
            Require(violations, s, "properties.functionAppConfig.runtime.name", n => Arm.IsString(n, "dotnet-isolated"), "dotnet-isolated runtime");
            Require(violations, s, "properties.functionAppConfig.runtime.version", n => Arm.IsString(n, "10.0"), "runtime 10.0");
            Require(violations, s, "identity.type", n => Arm.IsString(n, "UserAssigned"), "user-assigned identity only");
            Require(violations, s, "properties.keyVaultReferenceIdentity", n => Arm.AsString(n)?.Contains("userAssignedIdentities", StringComparison.Ordinal) == true,
                "Key Vault references resolve with the user-assigned identity");
            Require(violations, s, "properties.functionAppConfig.deployment.storage.authentication.type", n => Arm.IsString(n, "UserAssignedIdentity"),
                "deployment container read with the identity");
        }

        foreach (var plan in Arm.OfType(root, "Microsoft.Web/serverfarms"))
        {
            Require(violations, plan, "sku.tier", n => Arm.IsString(n, "FlexConsumption"), "Flex Consumption plan");
            Require(violations, plan, "properties.reserved", n => Arm.IsBool(n, true), "Linux plan");
        }

        var appSettings = Arm.OfType(root, "Microsoft.Web/sites/config").Where(c => c.Name.Contains("appsettings", StringComparison.Ordinal)).ToList();
        if (appSettings.Count == 0)
        {
            violations.Add("no appsettings found");
        }

        foreach (var config in appSettings)
        {
            if (config.Properties is not { } settings)
            {
                violations.Add($"{config}: app settings must be a literal object so they can be checked");
                continue;
            }

            foreach (var (key, value) in settings)
            {
                var text = value?.ToString() ?? "";
                if (text.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase) || text.Contains("SharedAccessKey=", StringComparison.OrdinalIgnoreCase)
                    || text.Contains("listKeys(", StringComparison.OrdinalIgnoreCase))
                {
                    violations.Add($"{config}: setting {key} carries a key");
                }
            }

            if (settings.ContainsKey("AzureWebJobsStorage"))
            {
                violations.Add($"{config}: AzureWebJobsStorage must be identity-based (AzureWebJobsStorage__*), not a connection string");
            }

            foreach (var (setting, secret) in SecretSettings)
            {
                var text = Arm.AsString(settings[setting]) ?? "";
                if (!text.Contains("@Microsoft.KeyVault(SecretUri=", StringComparison.Ordinal) || !text.Contains($"secrets/{secret}/", StringComparison.Ordinal))
                {
                    violations.Add($"{config}: {setting} must be a Key Vault reference to secret '{secret}', was '{text}'");
                }
            }

            foreach (var setting in RequiredPlainSettings.Where(k => !settings.ContainsKey(k)))
            {
                violations.Add($"{config}: missing setting {setting}");
            }

            foreach (var setting in new[] { "AzureWebJobsStorage__credential", "ServiceBusConnection__credential" })
            {
                if (!Arm.IsString(settings[setting], "managedidentity"))
                {
                    violations.Add($"{config}: {setting} must be managedidentity");
                }
            }
        }

        return violations;
    }

    public static List<string> Residency(JsonObject root)
    {
        var violations = new List<string>();
        var main = ArmScope.Root(root);
        var allowed = (main.Parameters["location"]?["allowedValues"] as JsonArray)?.Select(Arm.AsString).ToList();
        if (allowed is null || allowed.Count == 0)
        {
            violations.Add("the location parameter must restrict allowedValues");
            allowed = [];
        }

        foreach (var region in allowed.Where(r => r is null || !EuRegions.Contains(r)))
        {
            violations.Add($"location allows '{region}', which is not an EU member-state region");
        }

        var assignments = main.OwnResources().Where(r => r.Type == "Microsoft.Authorization/policyAssignments").ToList();
        var policy = assignments.FirstOrDefault(a =>
            main.GuidsIn(Arm.AsString(a.Json["properties"]?["policyDefinitionId"]) ?? "").Contains(AllowedLocationsPolicyDefinitionId));
        if (policy is null)
        {
            violations.Add("no 'Allowed locations' policy assignment on the resource group");
        }
        else
        {
            var lists = policy.Candidates("properties.parameters.listOfAllowedLocations.value");
            var listed = lists.Count == 1 && lists[0] is JsonArray array ? array.Select(Arm.AsString).ToHashSet() : null;
            if (listed is null || !listed.SetEquals(allowed))
            {
                violations.Add("the policy's listOfAllowedLocations must be exactly the location parameter's allowed EU regions");
            }

            if (policy.Json["properties"]?["enforcementMode"] is { } mode && !Arm.IsString(mode, "Default"))
            {
                violations.Add("the policy assignment must enforce (enforcementMode Default)");
            }
        }

        // Every located resource, at any depth, is in an allowed EU region (or 'global', which the policy exempts).
        foreach (var r in Arm.AllResources(root).Where(r => r.Json.ContainsKey("location")))
        {
            var locations = r.Candidates("location");
            if (!Arm.All(locations, n => Arm.AsString(n) is { } l && (l == "global" || (EuRegions.Contains(l) && allowed.Contains(l)))))
            {
                violations.Add($"{r}: location is not provably an allowed EU region: {string.Join(", ", locations)}");
            }
        }

        return violations;
    }

    public static List<string> Diagnostics(JsonObject root)
    {
        var violations = new List<string>();
        foreach (var scope in ArmScope.Root(root).SelfAndDescendants())
        {
            var resources = scope.OwnResources().ToList();
            var settings = resources.Where(r => r.Type == "Microsoft.Insights/diagnosticSettings").ToList();
            foreach (var group in resources.Where(r => TypesWithDiagnostics.Contains(r.Type)).GroupBy(r => r.Type, StringComparer.OrdinalIgnoreCase))
            {
                var covered = settings.Count(s => string.Equals(s.ScopeType, group.Key, StringComparison.OrdinalIgnoreCase));
                if (covered < group.Count())
                {
                    violations.Add($"{scope.Path}: {group.Count()} {group.Key} but {covered} diagnostic setting(s) for it");
                }
            }

            foreach (var s in settings)
            {
                var workspace = s.Candidates("properties.workspaceId").Select(Arm.AsString).ToList();
                if (!workspace.All(w => w is not null && (w.Contains("outputs.workspaceId", StringComparison.Ordinal) || w.Contains("Microsoft.OperationalInsights/workspaces", StringComparison.Ordinal))))
                {
                    violations.Add($"{s}: must send to the one Log Analytics workspace, was {string.Join(", ", workspace)}");
                }

                var logs = s.Json["properties"]?["logs"] as JsonArray ?? [];
                var metrics = s.Json["properties"]?["metrics"] as JsonArray ?? [];
                if (!logs.Concat(metrics).Any(e => Arm.IsBool(e?["enabled"], true)))
                {
                    violations.Add($"{s}: enables no log or metric category");
                }
            }
        }

        foreach (var required in new[] { "Microsoft.Storage/storageAccounts", "Microsoft.ServiceBus/namespaces", "Microsoft.KeyVault/vaults", "Microsoft.Web/sites" })
        {
            if (Arm.OfType(root, required).Count == 0)
            {
                violations.Add($"no {required} to check");
            }
        }

        return violations;
    }

    public static List<string> Outputs(JsonObject root)
    {
        var violations = new List<string>();
        foreach (var scope in ArmScope.Root(root).SelfAndDescendants())
        {
            foreach (var (name, output) in scope.Outputs)
            {
                if (SecretLikeName().IsMatch(name))
                {
                    violations.Add($"{scope.Path}: output '{name}' is named like a secret");
                }

                if (Arm.IsString(output?["type"], "securestring") || Arm.IsString(output?["type"], "secureObject"))
                {
                    violations.Add($"{scope.Path}: output '{name}' is secure");
                }

                var value = output?["value"]?.ToString() ?? "";
                if (ListCall().IsMatch(value) || value.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase))
                {
                    violations.Add($"{scope.Path}: output '{name}' exposes keys or a connection string");
                }
            }
        }

        return violations;
    }

    /// <summary>No key-bearing connection string or key listing anywhere in the template.</summary>
    public static List<string> NoKeysAnywhere(string compiledJson)
    {
        var violations = new List<string>();
        foreach (var marker in new[] { "AccountKey=", "SharedAccessKey=", "listKeys(", "listConnectionStrings(", "listSecrets(" })
        {
            if (compiledJson.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"the template contains '{marker}'");
            }
        }

        return violations;
    }

    public static string? QueueName(ArmResource queue) => QueueNameLiteral().Match(queue.Name) is { Success: true } m ? m.Groups[1].Value : null;

    private static bool IsDuration(JsonNode? node)
    {
        var text = Arm.AsString(node);
        if (text is null || ArmScope.IsExpression(text))
        {
            return false;
        }

        try
        {
            return XmlConvert.ToTimeSpan(text) > TimeSpan.Zero;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void Require(List<string> violations, ArmResource resource, string path, Func<JsonNode?, bool> predicate, string rule)
    {
        var candidates = resource.Candidates(path);
        if (!Arm.All(candidates, predicate))
        {
            violations.Add($"{resource}: {rule} ({path} = {string.Join(" | ", candidates.Select(c => c?.ToJsonString() ?? "missing"))})");
        }
    }

    [GeneratedRegex("secret|password|passwd|key|connectionstring|credential|token", RegexOptions.IgnoreCase)]
    private static partial Regex SecretLikeName();

    [GeneratedRegex(@"\blist[A-Za-z]*\(", RegexOptions.None)]
    private static partial Regex ListCall();

    [GeneratedRegex(@"'([a-z0-9][a-z0-9-]*)'\)\]$")]
    private static partial Regex QueueNameLiteral();
}
