using System.Diagnostics;
using Messaging.LocalHost.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>
/// LocalHost's real entry point, run in-process on an ephemeral loopback port: what it mapped, which background
/// services it runs, its container, and an HTTP client to it. Reading the built app, not Program.cs, means a route
/// added anywhere in LocalHost is seen. The host is caught as it is built, through a process-wide diagnostic event
/// that every generic host raises (the Durable tests' worker hosts too, in parallel), so only the host built in the
/// flow that runs this entry point is taken.
/// </summary>
public sealed class LocalHostApp : IAsyncDisposable
{
    /// <summary>The capture of the entry point running in this flow, so a host built elsewhere meanwhile is not taken for it.</summary>
    private static readonly AsyncLocal<HostCapture?> CaptureInThisFlow = new();

    private readonly Task _run;
    private readonly IHostApplicationLifetime _lifetime;

    private LocalHostApp(IHost host, Task run, IHostApplicationLifetime lifetime, Uri address)
    {
        Services = host.Services;
        _run = run;
        _lifetime = lifetime;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public IServiceProvider Services { get; }

    public HttpClient Client { get; }

    public IReadOnlyList<RouteEndpoint> Endpoints => Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    public IReadOnlyList<Type> HostedServices => Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

    public const string StandaloneVerifyToken = "standalone-verify-token";

    /// <summary>
    /// Settings LocalHost starts with when a test needs no storage behind it: what it maps and runs, and answers that
    /// read nothing (the webhook handshake). The storage named is not there; nothing here sends.
    /// </summary>
    public static Dictionary<string, string> StandaloneSettings() => new()
    {
        ["Sandbox:BaseUrl"] = "http://127.0.0.1:9",
        ["Meta:AppSecret"] = "standalone-app-secret",
        ["Meta:VerifyToken"] = StandaloneVerifyToken,
        ["Security:Pepper"] = Convert.ToBase64String(new byte[32]),
        ["Security:MasterKey"] = Convert.ToBase64String(new byte[32]),
        ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
    };

    /// <param name="settings">Configuration keys (Section:Key) and values, passed as command-line arguments.</param>
    public static async Task<LocalHostApp> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var built = new TaskCompletionSource<IHost>(TaskCreationOptions.RunContinuationsAsynchronously);
        var capture = new HostCapture(built);
        using var subscription = DiagnosticListener.AllListeners.Subscribe(capture);
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            // Development: LocalHost's own local defaults (consent wording etc.) from appsettings.Development.json.
            "--environment=Development", "--contentRoot=" + AppContext.BaseDirectory, "--Logging:LogLevel:Default=None",
            .. settings.Select(s => $"--{s.Key}={s.Value}"),
        ];
        var run = Task.Run(() =>
        {
            CaptureInThisFlow.Value = capture;
            return typeof(LocalHostServiceExtensions).Assembly.EntryPoint!.Invoke(null, [args]);
        });
        // If the entry point fails before building the host, surface its exception instead of a timeout.
        await Task.WhenAny(built.Task, run).WaitAsync(TimeSpan.FromSeconds(60));
        if (!built.Task.IsCompleted)
        {
            await run;
            throw new InvalidOperationException("LocalHost's entry point returned without building a host.");
        }

        var host = await built.Task;
        IHostApplicationLifetime lifetime;
        try
        {
            lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        }
        catch (ObjectDisposedException)
        {
            // The app already failed and disposed its host: its exception says why (bounded, in case it is running).
            await run.WaitAsync(TimeSpan.FromSeconds(60));
            throw;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await Task.WhenAny(started.Task, run).WaitAsync(TimeSpan.FromSeconds(60));
        }

        if (run.IsCompleted)
        {
            await run; // start failed: its exception says why
            throw new InvalidOperationException("LocalHost stopped before it started.");
        }

        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalHostApp(host, run, lifetime, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _lifetime.StopApplication();
        await _run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private sealed class HostCapture(TaskCompletionSource<IHost> built) : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilt" && value.Value is IHost host && ReferenceEquals(CaptureInThisFlow.Value, this))
            {
                built.TrySetResult(host);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LocalHostCollection : ICollectionFixture<ParityHosts>
{
    public const string Name = "LocalHost";
}
