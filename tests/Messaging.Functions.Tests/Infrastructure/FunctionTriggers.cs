using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>
/// The Service Bus triggers declared in src/Functions, read from the Roslyn compilation with constants resolved.
/// Only these: the build here leaves the trigger's file out (its extension package is not served), so they are the
/// one kind of function functions.metadata cannot show. Everything else comes from functions.metadata.
/// </summary>
public static class FunctionTriggers
{
    public sealed record ServiceBus(string Function, string Queue, string ClassName, IReadOnlyList<string> ConstructorParameterTypes);

    public static IReadOnlyList<ServiceBus> ReadServiceBus()
    {
        var compilation = FunctionsCompiler.Compile(FunctionsCompiler.FunctionsTrees());
        var serviceBus = new List<ServiceBus>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if (Attributes(method.AttributeLists).FirstOrDefault(a => Named(a, "Function")) is not { } function)
                {
                    continue;
                }

                var name = Constant(model, function.ArgumentList!.Arguments[0].Expression);
                foreach (var trigger in method.ParameterList.Parameters.SelectMany(p => Attributes(p.AttributeLists)).Where(a => Named(a, "ServiceBusTrigger")))
                {
                    var type = method.FirstAncestorOrSelf<ClassDeclarationSyntax>()!;
                    var ctor = type.ParameterList?.Parameters.Select(p => p.Type!.ToString()).ToList() ?? [];
                    serviceBus.Add(new ServiceBus(name, Constant(model, trigger.ArgumentList!.Arguments[0].Expression), type.Identifier.ValueText, ctor));
                }
            }
        }

        return serviceBus;
    }

    private static IEnumerable<AttributeSyntax> Attributes(SyntaxList<AttributeListSyntax> lists) => lists.SelectMany(l => l.Attributes);

    private static bool Named(AttributeSyntax attribute, string name) =>
        attribute.Name.ToString() is var text && (text == name || text == name + "Attribute");

    private static string Constant(SemanticModel model, ExpressionSyntax expression) =>
        model.GetConstantValue(expression) is { HasValue: true, Value: string value }
            ? value
            : throw new InvalidOperationException($"Not a constant string: {expression}");
}
