using System.Text.Json.Nodes;
using Messaging.Infra.Tests.Infrastructure;
using Messaging.Shared.Retention;
using Messaging.Shared.Storage;

namespace Messaging.Infra.Tests;

/// <summary>
/// Issue 10's backups in Azure, over the compiled ARM JSON: the table backups are private and write-once for
/// Backup:Retention, then deleted; the key backups are kept apart, deletable, and gone after Backup:KeyRetention; and the
/// app is told the same periods the storage enforces.
/// </summary>
public sealed class BackupStorageTests
{
    private const string ImmutabilityPolicies = "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies";
    private static readonly JsonObject Template = CompiledTemplate.Load();

    [Fact]
    public void The_backups_container_is_private_and_write_once_for_Backup_Retention_and_lifecycle_deletes_its_blobs_after()
    {
        var policy = Assert.Single(Arm.OfType(Template, ImmutabilityPolicies));
        Assert.Contains("variables('backupsContainerName')", policy.Name, StringComparison.Ordinal);
        Assert.Equal(StorageNames.BackupsContainer, Arm.AsString(policy.Scope.Variables["backupsContainerName"]));
        Assert.True(Arm.IsBool(policy.Properties!["allowProtectedAppendWrites"], false));
        var period = policy.Properties!["immutabilityPeriodSinceCreationInDays"];
        Assert.Equal([30], policy.Scope.Candidates(period).Select(Arm.AsInt));

        var expire = Rule("expire-backups");
        Assert.Equal("[format('{0}/', variables('backupsContainerName'))]", Arm.AsString(expire["filters"]!["prefixMatch"]![0]));
        // Deleted by the same parameter that keeps them immutable: never before the period ends, never long after.
        Assert.Equal(Arm.AsString(period), Arm.AsString(expire["actions"]!["baseBlob"]!["delete"]!["daysAfterCreationGreaterThan"]));
        Assert.Equal(Arm.AsString(period), Arm.AsString(expire["actions"]!["version"]!["delete"]!["daysAfterCreationGreaterThan"]));

        var containers = Arm.OfType(Template, StoragePolicies.Containers).Where(c => c.Properties?["publicAccess"] is not null).ToList();
        Assert.NotEmpty(containers);
        Assert.All(containers, c => Assert.True(Arm.IsString(c.Properties!["publicAccess"], "None"), c.ToString()));
    }

    [Fact]
    public void The_key_backups_are_kept_apart_deletable_and_expire_after_Backup_KeyRetention()
    {
        Assert.DoesNotContain(Arm.OfType(Template, ImmutabilityPolicies), p => p.Name.Contains("keyBackupsContainerName", StringComparison.Ordinal));
        var storage = Arm.OfType(Template, "Microsoft.Storage/storageAccounts").Single();
        Assert.Equal(StorageNames.KeyBackupsContainer, Arm.AsString(storage.Scope.Variables["keyBackupsContainerName"]));

        var expire = Rule("expire-key-backups");
        Assert.Equal("[format('{0}/', variables('keyBackupsContainerName'))]", Arm.AsString(expire["filters"]!["prefixMatch"]![0]));
        Assert.Equal([7], storage.Scope.Candidates(expire["actions"]!["baseBlob"]!["delete"]!["daysAfterCreationGreaterThan"]).Select(Arm.AsInt));
        Assert.Equal(1, Arm.AsInt(expire["actions"]!["version"]!["delete"]!["daysAfterCreationGreaterThan"]));
    }

    [Fact]
    public void The_function_app_reads_the_backup_periods_the_storage_enforces_and_a_daily_backup_schedule()
    {
        var main = ArmScope.Root(Template);
        var deployments = main.OwnResources().Where(r => r.Type == "Microsoft.Resources/deployments").ToList();
        foreach (var module in new[] { "storage", "functionapp" })
        {
            var parameters = deployments.Single(d => Arm.AsString(d.Json["name"]) == module).Properties!["parameters"]!;
            Assert.Equal("[parameters('backupRetentionDays')]", Arm.AsString(parameters["backupRetentionDays"]!["value"]));
            Assert.Equal("[parameters('keyBackupRetentionDays')]", Arm.AsString(parameters["keyBackupRetentionDays"]!["value"]));
        }

        var settings = Arm.OfType(Template, "Microsoft.Web/sites/config").Single(c => c.Name.Contains("appsettings", StringComparison.Ordinal)).Properties!;
        Assert.Equal("[format('P{0}D', parameters('backupRetentionDays'))]", Arm.AsString(settings["Backup__Retention"]));
        Assert.Equal("[format('P{0}D', parameters('keyBackupRetentionDays'))]", Arm.AsString(settings["Backup__KeyRetention"]));
        Assert.NotNull(RetentionSchedule.TryParse(Arm.AsString(settings["Backup__Schedule"])));
        Assert.NotNull(RetentionSchedule.TryParse(Arm.AsString(settings["Retention__Schedule"])));
    }

    private static JsonObject Rule(string name) =>
        Arm.OfType(Template, "Microsoft.Storage/storageAccounts/managementPolicies").Single().Properties!["policy"]!["rules"]!.AsArray()
            .OfType<JsonObject>().Single(r => Arm.AsString(r["name"]) == name)["definition"]!.AsObject();
}
