using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>The HTTP and Service Bus triggers declared in src/Functions, read from its syntax with constants resolved.</summary>
public static class FunctionTriggers
{
    public sealed record Http(string Function, string Method, string Route);

    public sealed record ServiceBus(string Function, string Queue, string ClassName, IReadOnlyList<string> ConstructorParameterTypes);

    /// <summary>host.json's extensions.http.routePrefix; "api" when absent, as in the Functions host.</summary>
    public static string RoutePrefix()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "host.json")));
        return json.RootElement.TryGetProperty("extensions", out var ext) && ext.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix) ? prefix.GetString() ?? "" : "api";
    }

    public static (IReadOnlyList<Http> Http, IReadOnlyList<ServiceBus> ServiceBus) Read()
    {
        var compilation = FunctionsCompiler.Compile(FunctionsCompiler.FunctionsTrees());
        var http = new List<Http>();
        var serviceBus = new List<ServiceBus>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                var function = Attributes(method.AttributeLists).FirstOrDefault(a => Named(a, "Function"));
                if (function is null)
                {
                    continue;
                }

                var name = Constant(model, function.ArgumentList!.Arguments[0].Expression);
                foreach (var trigger in method.ParameterList.Parameters.SelectMany(p => Attributes(p.AttributeLists)))
                {
                    var args = trigger.ArgumentList?.Arguments ?? default;
                    if (Named(trigger, "HttpTrigger"))
                    {
                        var route = args.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Route") is { } r ? Constant(model, r.Expression) : name;
                        http.AddRange(args.Where(a => a.NameEquals is null).Skip(1).Select(a => new Http(name, Constant(model, a.Expression).ToUpperInvariant(), route)));
                    }
                    else if (Named(trigger, "ServiceBusTrigger"))
                    {
                        var type = method.FirstAncestorOrSelf<ClassDeclarationSyntax>()!;
                        var ctor = type.ParameterList?.Parameters.Select(p => p.Type!.ToString()).ToList() ?? [];
                        serviceBus.Add(new ServiceBus(name, Constant(model, args[0].Expression), type.Identifier.ValueText, ctor));
                    }
                }
            }
        }

        return (http, serviceBus);
    }

    private static IEnumerable<AttributeSyntax> Attributes(SyntaxList<AttributeListSyntax> lists) => lists.SelectMany(l => l.Attributes);

    private static bool Named(AttributeSyntax attribute, string name) =>
        attribute.Name.ToString() is var text && (text == name || text == name + "Attribute");

    private static string Constant(SemanticModel model, ExpressionSyntax expression) =>
        model.GetConstantValue(expression) is { HasValue: true, Value: string value }
            ? value
            : throw new InvalidOperationException($"Not a constant string: {expression}");
}
