using Messaging.Shared.Backups;
using Messaging.Shared.Messages;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Consent.Integration;
using Messaging.Shared.Tests.Infrastructure;

namespace Messaging.Shared.Tests.Backups;

/// <summary>Backups off the request path: queued, taken by the queue handler both hosts run, once, and resumed after a crash.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BackupQueueOnAzuriteTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Given_a_requested_backup_when_its_message_is_handled_twice_then_one_backup_is_listed_with_the_rows_it_holds()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        await harness.DeliverAsync(ConsentHarness.Text("wamid.Q-1", "Hallo"));
        var operations = harness.Core.Get<BackupOperations>();
        var backups = harness.Core.Get<BackupService>();

        var accepted = await operations.StartAsync(CancellationToken.None);

        // Requested, not taken: the request only queued it.
        Assert.DoesNotContain(await backups.ListAsync(CancellationToken.None), b => b.BackupId == accepted.BackupId);
        var queue = harness.Core.Get<StorageClients>().Queue(StorageNames.BackupsQueue);
        var message = Assert.Single((await queue.ReceiveMessagesAsync(maxMessages: 32)).Value);
        await operations.HandleAsync(message.Body.ToString(), message.DequeueCount, CancellationToken.None);
        await operations.HandleAsync(message.Body.ToString(), message.DequeueCount + 1, CancellationToken.None);

        var listed = Assert.Single(await backups.ListAsync(CancellationToken.None), b => b.BackupId == accepted.BackupId);
        Assert.Equal(1, listed.Tables.Where(t => MessageTables.All.Contains(t.Name)).Sum(t => t.Rows));
    }

    [Fact]
    public async Task Given_a_backup_whose_worker_died_before_its_manifest_when_it_is_taken_again_then_it_finishes_with_the_same_parts()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        await harness.DeliverAsync(ConsentHarness.Text("wamid.P-1", "Hallo"));
        await harness.DeliverAsync(ConsentHarness.Text("wamid.P-2", "Noch eine Frage"));
        var backups = harness.Core.Get<BackupService>();
        var first = await backups.CreateAsync("crashed-backup", CancellationToken.None);
        var container = harness.Core.Get<StorageClients>().Container(StorageNames.BackupsContainer);
        // The worker died after writing every part but before the manifest (written last), and one part is missing.
        await container.GetBlobClient("crashed-backup/manifest.json").DeleteAsync();
        await container.GetBlobClient($"crashed-backup/{StorageNames.ContactsTable}.ndjson.gz").DeleteAsync();
        Assert.DoesNotContain(await backups.ListAsync(CancellationToken.None), b => b.BackupId == "crashed-backup");

        await harness.Core.Get<BackupOperations>().HandleAsync("""{"BackupId":"crashed-backup"}""", 2, CancellationToken.None);

        var resumed = Assert.Single(await backups.ListAsync(CancellationToken.None), b => b.BackupId == "crashed-backup");
        Assert.Equal(first.Tables.Select(t => (t.Name, t.Rows)), resumed.Tables.Select(t => (t.Name, t.Rows)));
        Assert.Equal(2, resumed.Tables.Where(t => MessageTables.All.Contains(t.Name)).Sum(t => t.Rows));
        Assert.True(resumed.Tables.Single(t => t.Name == StorageNames.ContactsTable).Rows > 0);
    }

    [Fact]
    public void The_scheduled_backup_of_a_day_has_one_id_whichever_instance_asks()
    {
        var morning = new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);
        Assert.Equal(BackupService.DailyBackupId(morning), BackupService.DailyBackupId(morning.AddMinutes(5)));
        Assert.NotEqual(BackupService.DailyBackupId(morning), BackupService.DailyBackupId(morning.AddDays(1)));
        Assert.True(BackupService.IsKeySafe(BackupService.DailyBackupId(morning)));
        Assert.NotEqual(BackupService.NewBackupId(morning), BackupService.NewBackupId(morning));
    }
}
