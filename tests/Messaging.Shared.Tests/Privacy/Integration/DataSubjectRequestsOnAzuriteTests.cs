using Messaging.Shared.Consent.Api;
using Messaging.Shared.Contacts;
using Messaging.Shared.Privacy.Audit;
using Messaging.Shared.Privacy.Erasure;
using Messaging.Shared.Privacy.Requests;
using Messaging.Shared.Tests.Consent.Integration;
using Messaging.Shared.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Shared.Tests.Privacy.Integration;

/// <summary>Data-subject requests on the real table driver and worker, against Azurite: deadlines, closing, the open list.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DataSubjectRequestsOnAzuriteTests(AzuriteFixture azurite)
{
    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static DataSubjectRequestBody Erasure(string phone, DateTimeOffset? receivedAt = null) => new("erasure", phone, null, "email", receivedAt);

    /// <summary>The row keys of <paramref name="table"/>'s partition that the retention index holds under a class.</summary>
    private static async Task<List<string>> IndexedAsync(ConsentHarness harness, string className, string table, string partitionKey)
    {
        var storage = harness.Core.Get<Messaging.Shared.Storage.StorageClients>();
        var noted = new List<string>();
        foreach (var (dayTable, _) in await harness.Core.Get<Messaging.Shared.Retention.RetentionIndex>().DayTablesAsync(className, CancellationToken.None))
        {
            await foreach (var row in storage.Table(dayTable).QueryAsync<Azure.Data.Tables.TableEntity>())
            {
                if (row.GetString("T") == table && row.GetString("P") == partitionKey)
                {
                    noted.Add(row.GetString("R") ?? "");
                }
            }
        }

        return noted;
    }

    private static async Task<string> ContactWithMessagesAsync(ConsentHarness harness)
    {
        await harness.DeliverAsync(ConsentHarness.Text("wamid.R-1", "Hallo"));
        var contactKey = await harness.Core.Get<ContactDirectory>().FindByPhoneAsync(ConsentHarness.Phone, CancellationToken.None);
        Assert.NotNull(contactKey);
        return contactKey;
    }

    [Fact]
    public async Task Given_a_contact_when_an_erasure_request_arrives_then_it_is_due_a_month_later_and_the_erasure_closes_it_with_a_report()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var optIn = (await harness.Core.Get<ConsentManagement>().StartOptInAsync(
            new OptInRequestBody(ConsentHarness.Phone, "marketing", "crm-api", "Ja, ich möchte Angebote per WhatsApp.", "marketing-v2"), null, CancellationToken.None)).Accepted!;
        await Eventually.TrueAsync(async () => (await harness.HeadAsync(optIn.ContactKey)).Status == Messaging.Shared.Consent.ConsentStatus.Pending);
        var contactKey = await ContactWithMessagesAsync(harness);
        var requests = harness.Core.Get<DataSubjectRequests>();
        var receivedAt = new DateTimeOffset(2026, 1, 31, 9, 15, 0, TimeSpan.Zero);

        var (accepted, errors) = await requests.ReceiveAsync(Erasure("0049 151 12345678", receivedAt), null, CancellationToken.None);

        Assert.Null(errors);
        Assert.Equal(contactKey, accepted!.ContactKey);
        Assert.Equal(DataSubjectRequestKinds.InProgress, accepted.Status);
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 9, 15, 0, TimeSpan.Zero), accepted.DueBy);
        DataSubjectRequestView? view = null;
        await Eventually.TrueAsync(async () => (view = await requests.GetAsync(accepted.RequestId, CancellationToken.None))!.Status == DataSubjectRequestKinds.Completed, TimeSpan.FromSeconds(60));
        var report = view!.Report!;
        Assert.Equal(DataSubjectRequestReport.Erased, report.Result);
        Assert.True(report.KeyShredded);
        Assert.Contains(report.RowsRemoved, c => c.Store == ErasureStores.Messages && c.Rows == 1);
        Assert.Contains(report.Kept, k => k.Data.StartsWith("consent ledger", StringComparison.Ordinal) && k.Retention == "P1096D");
        Assert.NotNull(view.CompletedAt);
        Assert.DoesNotContain(await requests.ListAsync(DataSubjectRequestKinds.Open, CancellationToken.None), r => r.RequestId == accepted.RequestId);
        var actions = (await harness.Core.Get<AuditLog>().ForContactAsync(contactKey, CancellationToken.None)).Select(e => e.Action).ToList();
        Assert.Contains("dsr.completed.erasure", actions);
        Assert.Contains("consent.requested", actions);
        Assert.NotEmpty(await IndexedAsync(harness, "ProofRetention", Messaging.Shared.Storage.StorageNames.ConsentTable, contactKey));
    }

    /// <summary>A receipt that cannot be written: the step that fails for good in the test below.</summary>
    private sealed class BrokenReceipt : IErasureObserver
    {
        public Task OnErasedAsync(string requestId, string contactKey, ErasureReport report, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("receipt store unavailable");
    }

    [Fact]
    public async Task Given_an_erasure_step_that_fails_for_good_then_the_request_becomes_failed_with_the_step_in_its_report_and_stays_on_the_open_list()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, configure: services =>
        {
            services.Remove(services.Single(d => ReferenceEquals(d.ImplementationInstance, ErasureWorkflow.Definition)));
            services.AddSingleton<Messaging.Shared.Workflows.IWorkflowDefinition>(
                ErasureWorkflow.Definition with { EffectRetry = new(2, TimeSpan.FromMilliseconds(100), 1, TimeSpan.FromMilliseconds(100)) });
            // First of the observers, so the request is not closed before the receipt fails.
            services.Insert(0, ServiceDescriptor.Singleton<IErasureObserver, BrokenReceipt>());
        });
        var contactKey = await ContactWithMessagesAsync(harness);
        var requests = harness.Core.Get<DataSubjectRequests>();

        var (accepted, _) = await requests.ReceiveAsync(Erasure(ConsentHarness.Phone), null, CancellationToken.None);

        DataSubjectRequestView? view = null;
        await Eventually.TrueAsync(async () => (view = await requests.GetAsync(accepted!.RequestId, CancellationToken.None))!.Status == DataSubjectRequestKinds.Failed, TimeSpan.FromSeconds(60));
        var report = view!.Report!;
        Assert.Equal(DataSubjectRequestReport.Failed, report.Result);
        Assert.StartsWith("receipt: retries-exhausted", report.Failure, StringComparison.Ordinal);
        Assert.DoesNotContain(ConsentHarness.WaId, report.Failure, StringComparison.Ordinal);
        Assert.True(report.KeyShredded);
        Assert.Null(view.CompletedAt);
        var open = Assert.Single(await requests.ListAsync(DataSubjectRequestKinds.Open, CancellationToken.None), r => r.RequestId == accepted!.RequestId);
        Assert.Equal((DataSubjectRequestKinds.Failed, false), (open.Status, open.Overdue));
        var actions = (await harness.Core.Get<AuditLog>().ForContactAsync(contactKey, CancellationToken.None)).Select(e => e.Action).ToList();
        Assert.Contains("erasure.failed", actions);
        Assert.Contains("dsr.failed.erasure", actions);
    }

    [Fact]
    public async Task Given_a_person_we_hold_nothing_about_when_they_ask_then_the_request_is_completed_at_once_with_nothing_held()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        var requests = harness.Core.Get<DataSubjectRequests>();

        var (erasure, _) = await requests.ReceiveAsync(Erasure("+4915100000042"), null, CancellationToken.None);
        var (access, _) = await requests.ReceiveAsync(new DataSubjectRequestBody("access", null, new string('b', 32), "letter", null), null, CancellationToken.None);

        foreach (var accepted in new[] { erasure!, access! })
        {
            Assert.Equal(DataSubjectRequestKinds.Completed, accepted.Status);
            Assert.Null(accepted.ContactKey);
            Assert.Equal(DataSubjectRequestReport.NothingHeld, (await requests.GetAsync(accepted.RequestId, CancellationToken.None))!.Report!.Result);
        }
    }

    [Fact]
    public async Task Given_a_contact_when_they_ask_for_access_then_the_export_holds_their_data_decrypted_until_retention_or_erasure_ends_it()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var contactKey = await ContactWithMessagesAsync(harness);
        var requests = harness.Core.Get<DataSubjectRequests>();

        var (accepted, _) = await requests.ReceiveAsync(new DataSubjectRequestBody("access", ConsentHarness.Phone, null, "email", null), null, CancellationToken.None);

        Assert.Equal(DataSubjectRequestKinds.Completed, accepted!.Status);
        var report = (await requests.GetAsync(accepted.RequestId, CancellationToken.None))!.Report!;
        Assert.Equal(DataSubjectRequestReport.Exported, report.Result);
        var (json, why) = await requests.ExportOfAsync(accepted.RequestId, CancellationToken.None);
        Assert.Null(why);
        var export = System.Text.Json.JsonSerializer.Deserialize<DataSubjectExportDocument>(json!, Web)!;
        Assert.Equal(ConsentHarness.Phone, export.Identifiers.Phone);
        Assert.Equal(ConsentHarness.WaId, export.Identifiers.WaId);
        var message = Assert.Single(export.Messages);
        Assert.Equal(("in", "Hallo", "wamid.R-1"), (message.Direction, message.Text, message.MessageId));
        Assert.Contains(export.Processing.Recipients, r => r.Name.StartsWith("Meta", StringComparison.Ordinal) && r.Role.Contains("processor", StringComparison.Ordinal));
        Assert.Contains(export.Processing.Retention, r => r.Data == "messages" && r.Period == "P180D");
        Assert.Contains(DataSubjectExports.BlobName(accepted.RequestId), await IndexedAsync(harness, "ExportRetention", "$blob:" + Messaging.Shared.Storage.StorageNames.DataSubjectExportsContainer, ""));

        await requests.ReceiveAsync(Erasure(ConsentHarness.Phone), null, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await requests.ListAsync(DataSubjectRequestKinds.Open, CancellationToken.None)).Count == 0, TimeSpan.FromSeconds(60));
        Assert.Equal(ExportUnavailable.Deleted, (await requests.ExportOfAsync(accepted.RequestId, CancellationToken.None)).Why);
        Assert.Equal(contactKey, accepted.ContactKey);
    }

    [Fact]
    public async Task The_same_idempotency_key_records_one_request()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        var requests = harness.Core.Get<DataSubjectRequests>();

        var (first, _) = await requests.ReceiveAsync(Erasure("+4915100000043"), "ticket-4711", CancellationToken.None);
        var (again, _) = await requests.ReceiveAsync(Erasure("+4915100000043"), "ticket-4711", CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Single(await requests.ListAsync(null, CancellationToken.None));
    }

    [Theory]
    [InlineData("erasure", null, "not-a-key", "whatsapp", "contactKey")]
    [InlineData("erasure", "+4915112345678", "0123456789abcdef0123456789abcdef", "whatsapp", "phone")]
    [InlineData("erasure", "+4915112345678", null, "fax", "channel")]
    [InlineData("deletion", "+4915112345678", null, "web", "kind")]
    [InlineData("erasure", "015112345678", null, "web", "phone")]
    [InlineData("erasure", null, null, "web", "phone")]
    public async Task Invalid_requests_are_refused_per_field(string kind, string? phone, string? contactKey, string channel, string field)
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        var body = new DataSubjectRequestBody(kind, phone, contactKey, channel, null);

        var (accepted, errors) = await harness.Core.Get<DataSubjectRequests>().ReceiveAsync(body, null, CancellationToken.None);

        Assert.Null(accepted);
        Assert.Contains(field, errors!.Keys);
    }

    [Fact]
    public async Task A_deadline_is_extended_once_by_at_most_two_months_with_the_reason_recorded()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        var requests = harness.Core.Get<DataSubjectRequests>();
        var contactKey = await harness.Core.Get<IContactDirectory>().ResolveOrCreateByPhoneAsync("+4915100000044", CancellationToken.None);
        var (accepted, _) = await requests.ReceiveAsync(new DataSubjectRequestBody("erasure", null, contactKey, "web", null), null, CancellationToken.None);

        var tooLong = await requests.ExtendAsync(accepted!.RequestId, new DataSubjectRequestExtensionBody("many requests", 3), CancellationToken.None);
        var noReason = await requests.ExtendAsync(accepted.RequestId, new DataSubjectRequestExtensionBody(" ", null), CancellationToken.None);
        var extended = await requests.ExtendAsync(accepted.RequestId, new DataSubjectRequestExtensionBody("Umfangreiche Nachrichtenhistorie", null), CancellationToken.None);
        var twice = await requests.ExtendAsync(accepted.RequestId, new DataSubjectRequestExtensionBody("noch mehr", 1), CancellationToken.None);

        Assert.Contains("months", tooLong.Errors!.Keys);
        Assert.Contains("reason", noReason.Errors!.Keys);
        Assert.Equal(accepted.DueBy.AddMonths(2), extended.Request!.ExtendedTo);
        Assert.Equal("Umfangreiche Nachrichtenhistorie", extended.Request.ExtensionReason);
        Assert.NotNull(twice.Refusal);
        Assert.Equal(accepted.DueBy.AddMonths(2), (await requests.GetAsync(accepted.RequestId, CancellationToken.None))!.ExtendedTo);
        Assert.Equal(ExtensionOutcome.NotFound, await requests.ExtendAsync(new string('c', 32), new DataSubjectRequestExtensionBody("x", null), CancellationToken.None));
    }

    [Fact]
    public async Task Open_requests_are_listed_earliest_deadline_first_and_say_which_are_overdue()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        var requests = harness.Core.Get<DataSubjectRequests>();
        var directory = harness.Core.Get<IContactDirectory>();
        var now = DateTimeOffset.UtcNow;
        var recent = await directory.ResolveOrCreateByPhoneAsync("+4915100000045", CancellationToken.None);
        var old = await directory.ResolveOrCreateByPhoneAsync("+4915100000046", CancellationToken.None);
        var (late, _) = await requests.ReceiveAsync(new DataSubjectRequestBody("erasure", null, recent, "web", now.AddDays(-3)), null, CancellationToken.None);
        var (overdue, _) = await requests.ReceiveAsync(new DataSubjectRequestBody("erasure", null, old, "letter", now.AddDays(-40)), null, CancellationToken.None);
        await requests.ReceiveAsync(Erasure("+4915100000047"), null, CancellationToken.None);

        var open = await requests.ListAsync(DataSubjectRequestKinds.Open, CancellationToken.None);

        Assert.Equal([overdue!.RequestId, late!.RequestId], open.Select(r => r.RequestId));
        Assert.Equal([true, false], open.Select(r => r.Overdue));
        Assert.NotNull((await requests.ExtendAsync(overdue.RequestId, new DataSubjectRequestExtensionBody("too late", null), CancellationToken.None)).Refusal);
    }
}
