using System.Security.Cryptography;
using Messaging.Shared.Contacts;
using Messaging.Shared.Privacy.Requests;
using Messaging.Shared.Retention.Api;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>
/// Both hosts over one Azurite slice with the same settings: LocalHost running in-process, the Functions app as
/// <see cref="FunctionsApp"/>. Nothing runs in the background (Processing:Enabled=false), so an answer depends only on
/// the request and on what the fixture stored, and asking both hosts the same thing must get the same answer.
/// </summary>
public sealed class ParityHosts : IAsyncLifetime
{
    public const string AppSecret = "parity-app-secret";
    public const string VerifyToken = "parity-verify-token";
    public const string ApiKey = "parity-api-key";

    /// <summary>A contact that exists before any test runs (no consent recorded).</summary>
    public const string KnownPhone = "+4915112340001";

    private readonly AzuriteFixture _azurite = new();

    public LocalHostApp LocalHost { get; private set; } = null!;

    public FunctionsApp Functions { get; private set; } = null!;

    public string KnownContactKey { get; private set; } = "";

    /// <summary>A retention sweep that exists before any test runs (nothing runs it: processing is off).</summary>
    public string KnownSweepId { get; private set; } = "";

    /// <summary>A data-subject request completed before any test runs (nothing held about the number).</summary>
    public string KnownRequestId { get; private set; } = "";

    /// <summary>An erasure request of another contact, left open (nothing runs it: processing is off).</summary>
    public string OpenRequestId { get; private set; } = "";

    /// <summary>An access request of the known contact, answered with an export.</summary>
    public string AccessRequestId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        LocalHost = await LocalHostApp.StartAsync(new Dictionary<string, string>
        {
            ["Meta:AppSecret"] = AppSecret,
            ["Meta:VerifyToken"] = VerifyToken,
            ["Api:Key"] = ApiKey,
            ["Security:Pepper"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Security:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Storage:ConnectionString"] = _azurite.ConnectionString,
            ["Storage:NamePrefix"] = "p" + Guid.NewGuid().ToString("N")[..10],
            ["Processing:Enabled"] = "false",
            // The sandbox stays on (no Meta credentials), pointed nowhere: no request here sends anything.
            ["Sandbox:BaseUrl"] = "http://127.0.0.1:9",
            // Graph is unreachable for both hosts alike, so the template-reading routes answer alike.
            ["Meta:BusinessAccountId"] = "parity-waba",
            ["Meta:GraphApiBaseUrl"] = "http://127.0.0.1:9",
        });
        // LocalHost creates its tables in the background at start (Bicep does it in Azure); do not race it.
        await LocalHost.Services.GetRequiredService<StorageClients>().EnsureCreatedAsync(CancellationToken.None);
        KnownContactKey = await LocalHost.Services.GetRequiredService<IContactDirectory>().ResolveOrCreateByPhoneAsync(KnownPhone, CancellationToken.None);
        KnownSweepId = (await LocalHost.Services.GetRequiredService<RetentionSweepOperations>().StartAsync(CancellationToken.None)).SweepId;
        var requests = LocalHost.Services.GetRequiredService<DataSubjectRequests>();
        KnownRequestId = (await requests.ReceiveAsync(new DataSubjectRequestBody("erasure", "+4915100000077", null, "letter", null), null, CancellationToken.None)).Accepted!.RequestId;
        var toErase = await LocalHost.Services.GetRequiredService<IContactDirectory>().ResolveOrCreateByPhoneAsync("+4915112340009", CancellationToken.None);
        OpenRequestId = (await requests.ReceiveAsync(new DataSubjectRequestBody("erasure", null, toErase, "email", null), null, CancellationToken.None)).Accepted!.RequestId;
        AccessRequestId = (await requests.ReceiveAsync(new DataSubjectRequestBody("access", null, KnownContactKey, "email", null), null, CancellationToken.None)).Accepted!.RequestId;
        Functions = FunctionsApp.Create(LocalHost.Services.GetRequiredService<IConfiguration>());
    }

    public async Task DisposeAsync()
    {
        if (Functions is not null)
        {
            await Functions.DisposeAsync();
        }

        if (LocalHost is not null)
        {
            await LocalHost.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    public async Task<CapturedResponse> SendToLocalHostAsync(ParityRequest request)
    {
        using var message = request.ToHttpRequestMessage(ApiKey);
        using var response = await LocalHost.Client.SendAsync(message);
        return await CapturedResponse.FromAsync(response);
    }
}
