using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>
/// Runs LocalHost's real entry point in-process (on an ephemeral port, no storage needed) and reads what it mapped
/// and which background services it runs, then stops it. Reading the built app, not Program.cs, means a route
/// added anywhere in LocalHost is seen.
/// </summary>
public static class LocalHostApp
{
    public static async Task<(IReadOnlyList<(string Method, string Route)> Routes, IReadOnlyList<Type> HostedServices)> InspectAsync()
    {
        var built = new TaskCompletionSource<IHost>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = DiagnosticListener.AllListeners.Subscribe(new HostCapture(built));
        string[] args =
        [
            "--urls=http://127.0.0.1:0", "--Sandbox:BaseUrl=http://127.0.0.1:9",
            // Development: LocalHost's own local defaults (consent wording etc.) from appsettings.Development.json.
            "--environment=Development", "--contentRoot=" + AppContext.BaseDirectory,
            "--Meta:AppSecret=parity-test", "--Meta:VerifyToken=parity-test",
            "--Security:Pepper=" + Convert.ToBase64String(new byte[32]), "--Security:MasterKey=" + Convert.ToBase64String(new byte[32]),
            "--Storage:ConnectionString=UseDevelopmentStorage=true", "--Logging:LogLevel:Default=None",
        ];
        var run = Task.Run(() => typeof(Program).Assembly.EntryPoint!.Invoke(null, [args]));
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
            await run; // the app already failed and disposed its host: its exception says why
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

        try
        {
            var routes = host.Services.GetRequiredService<EndpointDataSource>().Endpoints
                .OfType<RouteEndpoint>()
                .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (m.ToUpperInvariant(), e.RoutePattern.RawText ?? "")))
                .ToList();
            var hosted = host.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();
            return (routes, hosted);
        }
        finally
        {
            lifetime.StopApplication();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
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
            if (value.Key == "HostBuilt" && value.Value is IHost host)
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
