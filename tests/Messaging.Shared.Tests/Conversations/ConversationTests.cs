using System.Text;
using Messaging.Shared.Consent;
using Messaging.Shared.Contacts;
using Messaging.Shared.Conversations;
using Messaging.Shared.Privacy;
using Messaging.Shared.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Server;

namespace Messaging.Shared.Tests.Conversations;

[Collection(AzuriteCollection.Name)]
public sealed class ConversationTests(AzuriteFixture azurite) : IDisposable
{
    private readonly WireMockServer _graph = GraphStub.Start();

    public void Dispose() => _graph.Stop();

    private async Task<CoreHarness> StartAsync()
    {
        var settings = Consent.Integration.ConsentHarness.Settings(azurite);
        settings["Meta:GraphApiBaseUrl"] = _graph.Url;
        settings["Conversations:Templates:0:Name"] = "order_update";
        settings["Conversations:Templates:0:Language"] = "de";
        settings["Conversations:Templates:0:Category"] = "utility";
        return await CoreHarness.StartAsync(azurite, (services, configuration) =>
        {
            services.AddConsent(configuration);
            services.AddPrivacy(configuration);
            services.AddConversations(configuration);
        }, settings);
    }

    private static HttpRequest Get(string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    private static HttpRequest Json(string json, string? idempotencyKey = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        if (idempotencyKey is not null)
        {
            context.Request.Headers["Idempotency-Key"] = idempotencyKey;
        }

        return context.Request;
    }

    private static async Task<string> ContactOfAsync(CoreHarness core, string waId) =>
        (await core.Get<ContactDirectory>().FindByPhoneAsync("+" + waId, CancellationToken.None))!;

    private static async Task<ConversationPage> ListAsync(ConversationHandlers handlers, string query = "?status=all") =>
        Assert.IsType<Ok<ConversationPage>>((await handlers.ListAsync(Get(query), CancellationToken.None)).Result).Value!;

    private static async Task<MessagePage> ThreadAsync(ConversationHandlers handlers, string contactKey, string query = "") =>
        Assert.IsType<Ok<MessagePage>>((await handlers.ListMessagesAsync(Get(query), contactKey, CancellationToken.None)).Result).Value!;

    private int GraphSends => _graph.LogEntries.Count(e => e.RequestMessage.Path.EndsWith("/messages", StringComparison.Ordinal) && (e.RequestMessage.Body ?? "").Contains("\"type\":\"text\"", StringComparison.Ordinal) && (e.RequestMessage.Body ?? "").Contains("Ihr Paket", StringComparison.Ordinal));

    [Fact]
    public async Task Inbound_messages_list_conversations_newest_first_with_unread_counts_name_preview_and_service_window()
    {
        await using var core = await StartAsync();
        var handlers = core.Get<ConversationHandlers>();
        var now = DateTimeOffset.UtcNow;
        await InboundWebhooks.DeliverAsync(core, InboundWebhooks.Text("4915111111111", "wamid.LIST-1", "Erste Frage", now.AddMinutes(-10), "Anna"));
        await InboundWebhooks.DeliverAsync(core, InboundWebhooks.Text("4915122222222", "wamid.LIST-2", "Zweite Frage", now.AddMinutes(-5), "Ben"));
        await InboundWebhooks.DeliverAsync(core, InboundWebhooks.Text("4915111111111", "wamid.LIST-3", "Noch etwas", now.AddMinutes(-1), "Anna"));

        var page = await ListAsync(handlers);

        Assert.Equal(["Anna", "Ben"], page.Items.Select(c => c.ProfileName));
        var anna = page.Items[0];
        Assert.Equal(2, anna.Unread);
        Assert.Equal("Noch etwas", anna.LastMessagePreview);
        Assert.Equal("open", anna.Status);
        Assert.Equal(now.AddMinutes(-1).ToUnixTimeSeconds() + (24 * 3600), anna.ServiceWindowOpenUntil!.Value.ToUnixTimeSeconds());
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Conversations_moving_at_the_same_time_keep_exactly_one_index_row_each_newest_first()
    {
        await using var core = await StartAsync();
        var store = core.Get<ConversationStore>();
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var contacts = Enumerable.Range(0, 24).Select(i => "ck-move-" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)).ToList();

        // Each contact gets five messages in order; the contacts run side by side, so index moves share transactions.
        await Task.WhenAll(contacts.Select(async (contact, c) =>
        {
            for (var m = 0; m < 5; m++)
            {
                await store.NoteInboundAsync(contact, $"m-{c}-{m}", start.AddSeconds((m * 100) + c), "text " + m, null, CancellationToken.None);
            }
        }));

        var index = core.Get<Messaging.Shared.Storage.StorageClients>().Table(Messaging.Shared.Storage.StorageNames.ConversationIndexTable);
        var rows = new List<Azure.Data.Tables.TableEntity>();
        await foreach (var row in index.QueryAsync<Azure.Data.Tables.TableEntity>(r => r.PartitionKey == ConversationStore.IndexPartition))
        {
            rows.Add(row);
        }

        Assert.Equal(contacts.OrderByDescending(c => c, StringComparer.Ordinal), rows.Select(r => r.GetString("ContactKey")));
        Assert.All(rows, r => Assert.Equal(5, r.GetInt32("Unread")));
        var page = await ListAsync(core.Get<ConversationHandlers>(), "?status=all");
        Assert.Equal(contacts.Count, page.Items.Count);
        Assert.All(page.Items, item => Assert.Equal("text 4", item.LastMessagePreview));
    }

    [Fact]
    public async Task A_closed_conversation_opens_again_with_the_next_inbound_message_and_read_clears_unread()
    {
        await using var core = await StartAsync();
        var handlers = core.Get<ConversationHandlers>();
        await InboundWebhooks.DeliverAsync(core, InboundWebhooks.Text("4915133333333", "wamid.CLOSE-1", "Hallo", DateTimeOffset.UtcNow.AddMinutes(-3)));
        var contactKey = await ContactOfAsync(core, "4915133333333");

        var updated = await handlers.UpdateAsync(Json("""{"status":"closed","assignedTo":"agent-7","labels":["billing","vip"]}"""), contactKey, CancellationToken.None);
        Assert.Equal("closed", Assert.IsType<Ok<Conversation>>(updated.Result).Value!.Status);
        Assert.Empty((await ListAsync(handlers, "?status=open")).Items);
        Assert.Single((await ListAsync(handlers, "?status=closed")).Items);

        Assert.IsType<NoContent>((await handlers.MarkReadAsync(contactKey, CancellationToken.None)).Result);
        Assert.Equal(0, (await ListAsync(handlers)).Items.Single().Unread);

        await InboundWebhooks.DeliverAsync(core, InboundWebhooks.Text("4915133333333", "wamid.CLOSE-2", "Doch noch eine Frage", DateTimeOffset.UtcNow));
        var reopened = (await ListAsync(handlers, "?status=open")).Items.Single();
        Assert.Equal(1, reopened.Unread);
        Assert.Equal("agent-7", reopened.AssignedTo);
        Assert.Equal(["billing", "vip"], reopened.Labels);
    }

    [Fact]
    public async Task An_agent_reply_is_queued_goes_out_once_per_idempotency_key_and_shows_in_the_thread_after_the_customer_message()
    {
        await using var core = await StartAsync();
        var handlers = core.Get<ConversationHandlers>();
        await InboundWebhooks.DeliverAsync(core, InboundWebhooks.Text("4915144444444", "wamid.REPLY-1", "Wo ist mein Paket?", DateTimeOffset.UtcNow.AddMinutes(-2)));
        var contactKey = await ContactOfAsync(core, "4915144444444");

        var first = await handlers.SendAsync(Json("""{"text":"Ihr Paket kommt morgen."}""", "reply-1"), contactKey, CancellationToken.None);
        var again = await handlers.SendAsync(Json("""{"text":"Ihr Paket kommt morgen."}""", "reply-1"), contactKey, CancellationToken.None);

        var accepted = Assert.IsType<Accepted<SendAccepted>>(first.Result).Value!;
        Assert.Equal("accepted", accepted.Status);
        Assert.Equal(accepted.MessageId, Assert.IsType<Accepted<SendAccepted>>(again.Result).Value!.MessageId);
        // Nothing is sent inline: the reply waits on the outbound queue, shown in the thread as accepted.
        Assert.Equal(0, GraphSends);
        var queued = await ThreadAsync(handlers, contactKey);
        Assert.Equal(("Ihr Paket kommt morgen.", "accepted"), (queued.Items[^1].Text, queued.Items[^1].Status));

        await core.DrainOutboundAsync();

        Assert.Equal(1, GraphSends);
        var thread = await ThreadAsync(handlers, contactKey);
        Assert.Equal(["in", "out"], thread.Items.Select(m => m.Direction));
        Assert.Equal("Wo ist mein Paket?", thread.Items[0].Text);
        Assert.Equal("Ihr Paket kommt morgen.", thread.Items[1].Text);
        Assert.Equal(accepted.MessageId, thread.Items[1].MessageId);
        Assert.Equal("sent", thread.Items[1].Status);
        Assert.Equal("Ihr Paket kommt morgen.", (await ListAsync(handlers)).Items.Single().LastMessagePreview);
    }

    [Fact]
    public async Task A_queued_reply_does_not_carry_its_text_readable_on_the_queue()
    {
        await using var core = await StartAsync();
        await InboundWebhooks.DeliverAsync(core, InboundWebhooks.Text("4915144444445", "wamid.SEALED-1", "Hallo", DateTimeOffset.UtcNow.AddMinutes(-2)));
        var contactKey = await ContactOfAsync(core, "4915144444445");

        await core.Get<ConversationHandlers>().SendAsync(Json("""{"text":"Ihr Paket kommt morgen."}"""), contactKey, CancellationToken.None);

        var queue = core.Get<Messaging.Shared.Storage.StorageClients>().Queue(Messaging.Shared.Storage.StorageNames.OutboundQueue);
        var peeked = Assert.Single((await queue.PeekMessagesAsync(32)).Value, m => m.Body.ToString().Contains("\"sendId\":\"conversation:", StringComparison.Ordinal));
        Assert.DoesNotContain("Paket", peeked.Body.ToString(), StringComparison.Ordinal);
        Assert.Contains(contactKey, peeked.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edits_show_the_new_text_on_the_original_message_and_revokes_leave_a_marker_without_text()
    {
        await using var core = await StartAsync();
        var handlers = core.Get<ConversationHandlers>();
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        await InboundWebhooks.DeliverAsync(core, InboundWebhooks.Text("4915188888888", "wamid.REV-1", "Gibt es das in Rot?", at));
        await InboundWebhooks.DeliverAsync(core, InboundWebhooks.Text("4915188888888", "wamid.REV-2", "Meine Adresse ist ...", at.AddMinutes(1)));
        await InboundWebhooks.DeliverAsync(core, InboundWebhooks.Edit("4915188888888", "wamid.REV-3", "wamid.REV-1", "Gibt es das in Grün?", at.AddMinutes(2)));
        await InboundWebhooks.DeliverAsync(core, InboundWebhooks.Revoke("4915188888888", "wamid.REV-4", "wamid.REV-2", at.AddMinutes(3)));
        var contactKey = await ContactOfAsync(core, "4915188888888");

        var thread = await ThreadAsync(handlers, contactKey);

        Assert.Equal(2, thread.Items.Count);
        Assert.Equal(("Gibt es das in Grün?", true, false, (string?)null), (thread.Items[0].Text, thread.Items[0].Edited, thread.Items[0].Revoked, thread.Items[0].ReplyTo));
        Assert.Equal(((string?)null, false, true), (thread.Items[1].Text, thread.Items[1].Edited, thread.Items[1].Revoked));
    }

    [Fact]
    public async Task Threads_page_backwards_oldest_first_within_a_page()
    {
        await using var core = await StartAsync();
        var handlers = core.Get<ConversationHandlers>();
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        for (var i = 0; i < 5; i++)
        {
            await InboundWebhooks.DeliverAsync(core, InboundWebhooks.Text("4915155555555", $"wamid.PAGE-{i}", $"Nachricht {i}", start.AddMinutes(i)));
        }

        var contactKey = await ContactOfAsync(core, "4915155555555");
        var newest = await ThreadAsync(handlers, contactKey, "?limit=3");
        var older = await ThreadAsync(handlers, contactKey, $"?limit=3&before={newest.NextCursor}");

        Assert.Equal(["Nachricht 2", "Nachricht 3", "Nachricht 4"], newest.Items.Select(m => m.Text));
        Assert.Equal(["Nachricht 0", "Nachricht 1"], older.Items.Select(m => m.Text));
        Assert.Null(older.NextCursor);
    }

    [Fact]
    public async Task Replies_are_refused_with_a_reason_outside_the_window_without_consent_and_after_erasure()
    {
        await using var core = await StartAsync();
        var handlers = core.Get<ConversationHandlers>();
        var contacts = core.Get<ContactDirectory>();
        var silent = await contacts.ResolveOrCreateByPhoneAsync("+4915166666666", CancellationToken.None);
        var erased = await contacts.ResolveOrCreateByPhoneAsync("+4915177777777", CancellationToken.None);
        await core.Get<ContactTombstones>().TombstoneAsync(erased, "erasure-1", CancellationToken.None);

        async Task<string?> ReasonAsync(string contactKey, string json)
        {
            var result = await handlers.SendAsync(Json(json), contactKey, CancellationToken.None);
            var problem = Assert.IsType<ProblemHttpResult>(result.Result);
            Assert.Equal(409, problem.StatusCode);
            return problem.ProblemDetails.Extensions["reason"] as string;
        }

        Assert.Equal("service_window_closed", await ReasonAsync(silent, """{"text":"Hallo?"}"""));
        Assert.Equal("no_consent", await ReasonAsync(silent, """{"template":{"name":"spring_sale","language":"de","parameters":["20%"]}}"""));
        Assert.Equal("erased", await ReasonAsync(erased, """{"text":"Hallo?"}"""));
        // A utility template needs no marketing consent and may go outside the window.
        Assert.IsType<Accepted<SendAccepted>>((await handlers.SendAsync(Json("""{"template":{"name":"order_update","language":"de","parameters":["4711"]}}"""), silent, CancellationToken.None)).Result);
    }

    [Fact]
    public async Task A_template_reply_takes_its_category_from_the_business_accounts_templates_when_settings_do_not_name_it()
    {
        var settings = Consent.Integration.ConsentHarness.Settings(azurite);
        settings["Meta:GraphApiBaseUrl"] = _graph.Url;
        settings["Meta:BusinessAccountId"] = "102290129340398";
        _graph.Given(WireMock.RequestBuilders.Request.Create().WithPath("/v24.0/102290129340398/message_templates").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(System.Text.Json.JsonSerializer.Serialize(new { data = Messaging.Shared.LocalHostOnly.Sandbox.SandboxTemplates.All })));
        await using var core = await CoreHarness.StartAsync(azurite, (services, configuration) =>
        {
            services.AddConsent(configuration);
            services.AddPrivacy(configuration);
            services.AddConversations(configuration);
            Messaging.Shared.Campaigns.CampaignServiceCollectionExtensions.AddCampaigns(services, configuration);
        }, settings);
        var handlers = core.Get<ConversationHandlers>();
        var silent = await core.Get<ContactDirectory>().ResolveOrCreateByPhoneAsync("+4915166666667", CancellationToken.None);

        var utility = await handlers.SendAsync(Json("""{"template":{"name":"order_shipped","language":"de","parameters":["Erika","4711"]}}"""), silent, CancellationToken.None);
        var pending = await handlers.SendAsync(Json("""{"template":{"name":"appointment_reminder","language":"en","parameters":["1.12.","10:00"]}}"""), silent, CancellationToken.None);

        Assert.IsType<Accepted<SendAccepted>>(utility.Result);
        // Not approved: counts as marketing, so without consent it is refused.
        Assert.Equal("no_consent", Assert.IsType<ProblemHttpResult>(pending.Result).ProblemDetails.Extensions["reason"]);
    }

    [Fact]
    public async Task Media_is_streamed_from_the_media_endpoint()
    {
        await using var core = await StartAsync();

        var result = await core.Get<ConversationHandlers>().MediaAsync(GraphStub.MediaId, CancellationToken.None);

        var stream = Assert.IsType<FileStreamHttpResult>(result.Result);
        Assert.Equal("image/png", stream.ContentType);
        using var copy = new MemoryStream();
        await stream.FileStream.CopyToAsync(copy);
        Assert.Equal(GraphStub.MediaBytes, copy.ToArray());
        Assert.IsType<NotFound>((await core.Get<ConversationHandlers>().MediaAsync("999", CancellationToken.None)).Result);
    }
}
