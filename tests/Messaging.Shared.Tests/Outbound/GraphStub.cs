using System.Text.Json;
using System.Text.Json.Nodes;
using Messaging.Shared.Contacts;
using Messaging.Shared.Outbound;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock;
using WireMock.Logging;
using WireMock.Types;
using WireMock.Util;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Messaging.Shared.Tests.Outbound;

/// <summary>WireMock standing in for graph.facebook.com, plus a service provider wired through AddOutboundMessaging.</summary>
public sealed class GraphStub : IAsyncDisposable
{
    public const string Version = "v24.0";
    public const string PhoneNumberId = "106540352242922";
    public const string AccessToken = "test-token-not-a-secret";
    public const string MessagesPath = "/" + Version + "/" + PhoneNumberId + "/messages";

    private readonly ServiceProvider _services;

    private GraphStub(WireMockServer server, ServiceProvider services)
    {
        Server = server;
        _services = services;
    }

    public WireMockServer Server { get; }

    public IServiceProvider Services => _services;

    public IReadOnlyList<ILogEntry> Calls => [.. Server.LogEntries.Where(e => e.RequestMessage.Path == MessagesPath)];

    public CloudApiClient Client => _services.GetRequiredService<CloudApiClient>();

    public OutboundMessenger Messenger => _services.GetRequiredService<OutboundMessenger>();

    public OutboxStore Outbox => _services.GetRequiredService<OutboxStore>();

    public static GraphStub Start(
        StorageClients? storage = null,
        IContactDirectory? contacts = null,
        TimeProvider? time = null,
        IDictionary<string, string?>? settings = null,
        Uri? baseUrlOverride = null)
    {
        var server = WireMockServer.Start();
        var values = new Dictionary<string, string?>
        {
            ["Meta:AccessToken"] = AccessToken,
            ["Meta:PhoneNumberId"] = PhoneNumberId,
            ["Meta:GraphApiBaseUrl"] = (baseUrlOverride ?? new Uri(server.Url!)).ToString(),
            ["Meta:GraphApiVersion"] = Version,
            ["Meta:MessagesPerSecond"] = "80",
            ["Security:Pepper"] = Convert.ToBase64String(new byte[16].Select((_, i) => (byte)(i + 1)).ToArray()),
            ["Security:MasterKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 7)).ToArray()),
            ["Outbound:RetryBaseDelay"] = "00:00:00.010",
            ["Outbound:MaxRetryAttempts"] = "3",
            ["Outbound:AttemptTimeout"] = "00:00:05",
            ["Outbound:TotalTimeout"] = "00:00:15",
            ["Outbound:AttemptingStaleAfter"] = "00:10:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        if (storage is not null)
        {
            services.AddSingleton(storage);
        }

        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSingleton(contacts ?? new FakeContactDirectory());
        services.AddOutboundMessaging(configuration);
        return new GraphStub(server, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public void AcceptAll(string wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCOTY3NDc0NDFDRUI3NTA0Q0UA", string? messageStatus = null, TimeSpan? delay = null)
    {
        var message = new JsonObject { ["id"] = wamid };
        if (messageStatus is not null)
        {
            message["message_status"] = messageStatus;
        }

        var body = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = "+16505551234", ["wa_id"] = "16505551234" }),
            ["messages"] = new JsonArray(message),
        };
        var response = Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString());
        if (delay is { } d)
        {
            response = response.WithDelay(d);
        }

        Server.Given(Request.Create().WithPath(MessagesPath).UsingPost()).RespondWith(response);
    }

    public void RefuseAll(int httpStatus, int code, string details = "details") =>
        Server.Given(Request.Create().WithPath(MessagesPath).UsingPost()).RespondWith(ErrorResponse(httpStatus, code, details));

    /// <summary>First call refused with <paramref name="code"/>, every later call accepted.</summary>
    public void RefuseOnceThenAccept(int httpStatus, int code, string wamid = "wamid.second")
    {
        Server.Given(Request.Create().WithPath(MessagesPath).UsingPost())
            .InScenario("refuse-once").WillSetStateTo("accepting")
            .RespondWith(ErrorResponse(httpStatus, code, "first"));
        Server.Given(Request.Create().WithPath(MessagesPath).UsingPost())
            .InScenario("refuse-once").WhenStateIs("accepting")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"messaging_product":"whatsapp","messages":[{"id":"{{wamid}}"}]}"""));
    }

    /// <summary>
    /// Every call is answered only after <paramref name="delay"/>, accepting the message. Arrivals are counted when the
    /// request comes in, because WireMock logs a request the client gave up on late or never.
    /// </summary>
    public Func<int> AcceptSlowly(TimeSpan delay)
    {
        var arrivals = 0;
        Server.Given(Request.Create().WithPath(MessagesPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(async _ =>
            {
                Interlocked.Increment(ref arrivals);
                await Task.Delay(delay);
                return new ResponseMessage
                {
                    StatusCode = 200,
                    BodyData = new BodyData { BodyAsString = """{"messages":[{"id":"wamid.slow"}]}""", DetectedBodyType = BodyType.String },
                };
            }));
        return () => Volatile.Read(ref arrivals);
    }

    /// <summary>A cold WireMock on a loaded machine can take longer than a short attempt timeout to see its first request.</summary>
    public async Task WarmUpAsync()
    {
        using var client = new HttpClient();
        await client.GetAsync(new Uri(Server.Url + "/warm-up"));
    }

    public static JsonElement BodyOf(ILogEntry call) => JsonDocument.Parse(call.RequestMessage.Body!).RootElement;

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Server.Stop();
        Server.Dispose();
    }

    private static IResponseBuilder ErrorResponse(int httpStatus, int code, string details) =>
        Response.Create().WithStatusCode(httpStatus).WithHeader("Content-Type", "application/json").WithBody(new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = $"(#{code}) test",
                ["type"] = "OAuthException",
                ["code"] = code,
                ["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = details },
                ["fbtrace_id"] = "AE9jPfwk6-trace",
            },
        }.ToJsonString());
}
