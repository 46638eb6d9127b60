extern alias functions;
using System.Reflection;
using functions::Messaging.Functions.Hosting;
using Messaging.Shared.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>
/// The Functions app without the Functions host (which cannot run here): its own composition
/// (<see cref="FunctionsHostServiceExtensions.AddFunctionsHost"/>) with only Service Bus replaced, and a
/// dispatcher that does what the host and the worker's ASP.NET Core integration do with a request: pick the function
/// by the methods and route in functions.metadata, construct its class from the container, bind the request, route
/// values and CancellationToken, call the entry point functions.metadata names, and execute the returned
/// IResult/IActionResult into the response. The platform's key check is not imitated (see <see cref="ParityRequest.RequiresKey"/>).
/// </summary>
public sealed class FunctionsApp : IAsyncDisposable
{
    private static readonly Assembly FunctionsAssembly = typeof(FunctionsHostServiceExtensions).Assembly;
    private readonly ServiceProvider _services;
    private readonly IReadOnlyList<FunctionMetadata> _functions = FunctionsMetadata.Read();
    private readonly string _routePrefix = HostJson.RoutePrefix();

    private FunctionsApp(ServiceProvider services, RecordingWebhookQueue webhookQueue)
    {
        _services = services;
        WebhookQueue = webhookQueue;
    }

    /// <summary>What stands in for Azure's Service Bus (the inbound queue). Workflow requests go to the Storage queue, as in Azure.</summary>
    public RecordingWebhookQueue WebhookQueue { get; }

    /// <param name="settings">The same settings LocalHost runs with (secrets, storage, consent wording).</param>
    public static FunctionsApp Create(IConfiguration settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(settings)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{FunctionsHostServiceExtensions.ServiceBusConnection}:fullyQualifiedNamespace"] = "sb-messaging-parity.servicebus.windows.net",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddFunctionsHost(configuration);
        var webhookQueue = new RecordingWebhookQueue();
        services.Replace(ServiceDescriptor.Singleton<IWebhookQueue>(webhookQueue));
        return new FunctionsApp(services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }), webhookQueue);
    }

    public async Task<CapturedResponse> SendAsync(ParityRequest request)
    {
        await using var scope = _services.CreateAsyncScope();
        var context = request.ToHttpContext(scope.ServiceProvider);
        var (function, routeValues) = Match(request);
        var (type, method) = EntryPoint(function);
        var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, type);
        context.Request.RouteValues = new RouteValueDictionary(routeValues);

        var returned = method.Invoke(instance, method.GetParameters().Select(p => Bind(p, function, context, routeValues)).ToArray());
        if (returned is Task task)
        {
            await task;
            returned = task.GetType().GetProperty(nameof(Task<object>.Result))?.GetValue(task);
        }

        switch (returned)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            case IResult result:
                await result.ExecuteAsync(context);
                break;
            default:
                throw new InvalidOperationException($"{function.Name} returned {returned?.GetType().Name ?? "nothing"}; an HTTP function returns IResult or IActionResult.");
        }

        return CapturedResponse.From(context.Response);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private (FunctionMetadata Function, Dictionary<string, object?> RouteValues) Match(ParityRequest request)
    {
        var matches = _functions
            .Where(f => f.HttpTrigger is { } t && (t.Methods is null || t.Methods.Contains(request.Method, StringComparer.OrdinalIgnoreCase)))
            .Select(f => (Function: f, RouteValues: RouteTemplate.Match(HttpSurface.Normalize($"/{_routePrefix}/{f.HttpTrigger!.Route ?? f.Name}"), request.Path)))
            .Where(m => m.RouteValues is not null)
            .ToList();
        return matches.Count == 1
            ? (matches[0].Function, matches[0].RouteValues!)
            : throw new InvalidOperationException($"{matches.Count} functions answer {request.Method} {request.Path}.");
    }

    private static (Type Type, MethodInfo Method) EntryPoint(FunctionMetadata function)
    {
        var split = function.EntryPoint.LastIndexOf('.');
        var type = FunctionsAssembly.GetType(function.EntryPoint[..split], throwOnError: true)!;
        return (type, type.GetMethod(function.EntryPoint[(split + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)!);
    }

    private static object? Bind(ParameterInfo parameter, FunctionMetadata function, HttpContext context, Dictionary<string, object?> routeValues)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return CancellationToken.None;
        }

        if (routeValues.TryGetValue(parameter.Name!, out var value) && parameter.ParameterType == typeof(string))
        {
            return value;
        }

        throw new NotSupportedException($"{function.Name}: cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}).");
    }

    private static class RouteTemplate
    {
        /// <returns>The route values when <paramref name="path"/> matches the normalized <paramref name="template"/>, else null.</returns>
        public static Dictionary<string, object?>? Match(string template, string path)
        {
            var expected = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var actual = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (expected.Length != actual.Length)
            {
                return null;
            }

            var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (segment, part) in expected.Zip(actual))
            {
                if (segment.StartsWith('{'))
                {
                    values[segment.Trim('{', '}')] = Uri.UnescapeDataString(part);
                }
                else if (!string.Equals(segment, part, StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }
            }

            return values;
        }
    }
}
