using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Messaging.Shared.Storage;

namespace Messaging.Infra.Tests.Infrastructure;

/// <summary>The tables, queues and containers the code names (<see cref="StorageNames"/>), as the policies see them.</summary>
public sealed record StorageContract(IReadOnlySet<string> Tables, IReadOnlySet<string> Containers, IReadOnlyDictionary<string, QueueInAzure> Queues)
{
    public static StorageContract FromCode() => new(
        StorageNames.Tables.ToHashSet(StringComparer.Ordinal),
        StorageNames.Containers.ToHashSet(StringComparer.Ordinal),
        StorageNames.QueuesInAzure);

    public IEnumerable<string> QueuesIn(QueueInAzure home) => Queues.Where(q => q.Value == home).Select(q => q.Key);
}

/// <summary>
/// Azure has the storage the code uses: what <see cref="StorageContract"/> names is provisioned by the compiled
/// template, and the Durable task hub has its connection, identity, roles and name.
/// </summary>
public static partial class StoragePolicies
{
    public const string Tables = "Microsoft.Storage/storageAccounts/tableServices/tables";
    public const string StorageQueues = "Microsoft.Storage/storageAccounts/queueServices/queues";
    public const string Containers = "Microsoft.Storage/storageAccounts/blobServices/containers";
    public const string ServiceBusQueues = "Microsoft.ServiceBus/namespaces/queues";

    /// <summary>What Durable's Azure Storage provider needs on its connection's account.</summary>
    public static readonly IReadOnlyDictionary<string, string> DurableRoles = new Dictionary<string, string>
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
    };

    private static readonly string[] DurableServices = ["blob", "queue", "table"];

    public static List<string> AppStorage(JsonObject root, StorageContract code)
    {
        var violations = new List<string>();
        Compare(violations, "table", code.Tables, Names(root, Tables), "appTableNames in infra/bicep/modules/storage.bicep", "StorageNames.Tables");
        Compare(violations, "blob container", code.Containers, Names(root, Containers), "appContainerNames in infra/bicep/modules/storage.bicep", "StorageNames.Containers");
        Compare(violations, "storage queue", code.QueuesIn(QueueInAzure.StorageQueue).ToHashSet(StringComparer.Ordinal), Names(root, StorageQueues),
            "appQueueNames in infra/bicep/modules/storage.bicep", "StorageNames.QueuesInAzure as QueueInAzure.StorageQueue");

        // Service Bus queues without a code name are allowed: outbound-messages is reserved for campaign sends.
        var serviceBus = Names(root, ServiceBusQueues);
        foreach (var queue in code.QueuesIn(QueueInAzure.ServiceBusQueue).Concat(code.QueuesIn(QueueInAzure.ServiceBusQueueInAzureOnly)).Where(q => !serviceBus.Contains(q)))
        {
            violations.Add($"Service Bus queue '{queue}' (StorageNames.QueuesInAzure) is not provisioned: add it to infra/bicep/modules/servicebus.bicep");
        }

        // The Functions host must use the names as they are (StorageClients prepends Storage:NamePrefix).
        foreach (var (config, settings) in AppSettings(root))
        {
            if (settings.ContainsKey("Storage__NamePrefix"))
            {
                violations.Add($"{config}: Storage__NamePrefix would rename every table, queue and container the template provisions");
            }
        }

        return violations;
    }

    /// <summary>
    /// The task hub: host.json names its hub through an app setting and its storage through a connection; the template
    /// sets both, the connection is identity-based with the app's user-assigned identity, and that identity holds the
    /// data roles Durable needs on the storage account (it creates its own tables, queues and containers on start).
    /// </summary>
    public static List<string> DurableTaskHub(JsonObject root, JsonObject hostJson)
    {
        var violations = new List<string>();
        var durable = hostJson["extensions"]?["durableTask"];
        var hubName = Arm.AsString(durable?["hubName"]);
        var hubSetting = hubName is not null && AppSettingReference().Match(hubName) is { Success: true } m ? m.Groups[1].Value : null;
        if (hubSetting is null)
        {
            violations.Add($"host.json: durableTask.hubName must name an app setting (%SETTING%), was '{hubName}'");
        }

        var connection = Arm.AsString(durable?["storageProvider"]?["connectionName"]) ?? "AzureWebJobsStorage";
        var configs = AppSettings(root);
        if (configs.Count == 0)
        {
            violations.Add("no appsettings found");
        }

        foreach (var (config, settings) in configs)
        {
            if (hubSetting is not null)
            {
                var names = settings.ContainsKey(hubSetting) ? config.Scope.Candidates(settings[hubSetting]).Select(Arm.AsString).ToList() : [];
                if (names.Count == 0 || !names.All(n => n is not null && TaskHubName().IsMatch(n)))
                {
                    violations.Add($"{config}: {hubSetting} must be a task hub name (a letter, then letters and digits, 3-50), was {string.Join(" | ", names)}");
                }
            }

            if (settings.ContainsKey(connection))
            {
                violations.Add($"{config}: {connection} must be identity-based ({connection}__*), not a connection string");
            }

            if (!Arm.IsString(settings[$"{connection}__credential"], "managedidentity"))
            {
                violations.Add($"{config}: {connection}__credential must be managedidentity");
            }

            if (Arm.AsString(settings[$"{connection}__clientId"]) is not { Length: > 0 })
            {
                violations.Add($"{config}: {connection}__clientId must name the user-assigned identity");
            }

            foreach (var service in DurableServices.Where(s => !settings.ContainsKey($"{connection}__{s}ServiceUri")))
            {
                violations.Add($"{config}: {connection}__{service}ServiceUri is missing (Durable uses blobs, queues and tables)");
            }
        }

        var storageRoles = Arm.OfType(root, "Microsoft.Authorization/roleAssignments")
            .Where(r => string.Equals(r.ScopeType, "Microsoft.Storage/storageAccounts", StringComparison.OrdinalIgnoreCase))
            .SelectMany(r => r.Scope.GuidsIn(Arm.AsString(r.Json["properties"]?["roleDefinitionId"]) ?? ""))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, role) in DurableRoles.Where(r => !storageRoles.Contains(r.Key)))
        {
            violations.Add($"{role} ({id}) is not assigned on the storage account: the Durable task hub cannot work without it");
        }

        return violations;
    }

    /// <summary>Every name a child resource type is deployed under, through copy loops; unresolvable names are left out.</summary>
    public static IReadOnlySet<string> Names(JsonObject root, string type) =>
        Arm.OfType(root, type).SelectMany(NamesOf).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The last segment of a child resource's name: format('{0}/{1}/{2}', ..., LAST). LAST is a literal, a variable or
    /// parameter, or (in a copy loop) variables('list')[copyIndex()], which stands for every element of the list; any
    /// other LAST is computed (<see cref="ArmExpression"/>) once per copy index, e.g. the contact-sharded tables'
    /// '${base}${padLeft(i % count, 2, '0')}'.
    /// </summary>
    public static IEnumerable<string> NamesOf(ArmResource resource)
    {
        var last = LastNameSegment().Match(resource.Name) is { Success: true } m ? m.Groups[1].Value.Trim() : null;
        if (last is null)
        {
            return [];
        }

        IEnumerable<JsonNode?> values;
        if (LoopOver().Match(last) is { Success: true } loop)
        {
            values = resource.Scope.Candidates($"[{loop.Groups[1].Value}]").OfType<JsonArray>().SelectMany(list => list).SelectMany(item => resource.Scope.Candidates(item));
        }
        else if (Literal().IsMatch(last))
        {
            values = [JsonValue.Create(last.Trim('\''))];
        }
        else if (Reference().IsMatch(last))
        {
            values = resource.Scope.Candidates($"[{last}]");
        }
        else
        {
            return ComputedNames(resource);
        }

        return values.Select(Arm.AsString).OfType<string>().Where(n => !ArmScope.IsExpression(n));
    }

    /// <summary>The last argument of the name's format(...), evaluated for every copy index; nothing when it cannot be.</summary>
    private static List<string> ComputedNames(ArmResource resource)
    {
        if (!ArmScope.IsExpression(resource.Name) || !resource.Name.StartsWith("[format(", StringComparison.Ordinal))
        {
            return [];
        }

        try
        {
            var last = ArmExpression.Arguments(resource.Name[1..^1])[^1];
            IEnumerable<long?> indices = resource.Json["copy"] is JsonObject copy
                ? Enumerable.Range(0, (int)(ArmExpression.FromJson(copy["count"], resource.Scope) as long? ?? 0)).Select(i => (long?)i)
                : [null];
            return [.. indices.Select(i => ArmExpression.Evaluate(last, resource.Scope, i)).OfType<string>()];
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentOutOfRangeException or FormatException)
        {
            return [];
        }
    }

    private static void Compare(List<string> violations, string kind, IReadOnlySet<string> named, IReadOnlySet<string> provisioned, string bicepList, string codeList)
    {
        violations.AddRange(named.Except(provisioned).Order(StringComparer.Ordinal)
            .Select(n => $"{kind} '{n}' ({codeList}) is not provisioned in Azure: add it to {bicepList}"));
        violations.AddRange(provisioned.Except(named).Order(StringComparer.Ordinal)
            .Select(n => $"{kind} '{n}' is provisioned but the code does not name it ({codeList}): remove it from {bicepList} or name it"));
    }

    private static List<(ArmResource Config, JsonObject Settings)> AppSettings(JsonObject root) =>
        Arm.OfType(root, "Microsoft.Web/sites/config")
            .Where(c => c.Name.Contains("appsettings", StringComparison.Ordinal) && c.Properties is not null)
            .Select(c => (c, c.Properties!))
            .ToList();

    [GeneratedRegex(@",\s*([^,]+)\)\]$")]
    private static partial Regex LastNameSegment();

    [GeneratedRegex(@"^((?:variables|parameters)\('[^']+'\))\[copyIndex\(\)\]$")]
    private static partial Regex LoopOver();

    [GeneratedRegex("^'[^']*'$")]
    private static partial Regex Literal();

    [GeneratedRegex(@"^(?:variables|parameters)\('[^']+'\)$")]
    private static partial Regex Reference();

    [GeneratedRegex("^%([A-Za-z0-9_]+)%$")]
    private static partial Regex AppSettingReference();

    // Durable's rule for Azure Storage task hub names.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,49}$")]
    private static partial Regex TaskHubName();
}
