using System.Reflection;
using Messaging.Shared.Webhooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>
/// Compiles src/Functions with Roslyn against the SDK's reference assemblies (Microsoft.NETCore.App and
/// Microsoft.AspNetCore.App), Messaging.Shared and the Azure/Microsoft.Extensions assemblies it brings. The
/// Functions/Durable/Service Bus packages cannot be restored here, so diagnostics about the names on
/// <see cref="SdkAllowList"/> are expected; <see cref="Classify"/> tells them apart from everything else.
/// </summary>
public static class FunctionsCompiler
{
    /// <summary>The SDK's implicit usings for Microsoft.NET.Sdk (the Functions project has ImplicitUsings on).</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);
    private static readonly Lazy<IReadOnlyList<MetadataReference>> LazyReferences = new(LoadReferences);
    private static readonly string[] FrameworkPacks = ["Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref"];

    public static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

    /// <summary>The Functions sources as they are on disk, optionally with one file's text changed.</summary>
    public static IReadOnlyList<SyntaxTree> FunctionsTrees(Func<string, string, string>? mutate = null) =>
        Repository.FunctionsSources()
            .Select(path => Parse(mutate is null ? File.ReadAllText(path) : mutate(Path.GetFileName(path), File.ReadAllText(path)), path))
            .ToList();

    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create(
            "Messaging.Functions",
            trees.Append(Parse(ImplicitUsings, "GlobalUsings.g.cs")),
            LazyReferences.Value,
            new CSharpCompilationOptions(
                OutputKind.ConsoleApplication,
                nullableContextOptions: NullableContextOptions.Enable,
                // What the SDK passes by default (NoWarn 1701;1702): assembly unification notices, not code problems.
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic>
                {
                    ["CS1701"] = ReportDiagnostic.Suppress,
                    ["CS1702"] = ReportDiagnostic.Suppress,
                }));

    /// <summary>Splits errors and warnings (TreatWarningsAsErrors is on) into tolerated and unexpected ones.</summary>
    public static (IReadOnlyList<(Diagnostic Diagnostic, string Name)> Tolerated, IReadOnlyList<Diagnostic> Unexpected) Classify(Compilation compilation)
    {
        var tolerated = new List<(Diagnostic, string)>();
        var unexpected = new List<Diagnostic>();
        foreach (var diagnostic in compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning))
        {
            if (ToleratedName(diagnostic) is { } name)
            {
                tolerated.Add((diagnostic, name));
            }
            else
            {
                unexpected.Add(diagnostic);
            }
        }

        return (tolerated, unexpected);
    }

    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(d => $"{Path.GetFileName(d.Location.SourceTree?.FilePath)}{d.Location.GetLineSpan().StartLinePosition}: {d.Id} {d.GetMessage()}"));

    /// <returns>The allow-listed name the diagnostic is about, or null when it is not tolerated.</returns>
    private static string? ToleratedName(Diagnostic diagnostic)
    {
        if (diagnostic.Location.SourceTree is not { } tree)
        {
            return null;
        }

        var node = tree.GetRoot().FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        switch (diagnostic.Id)
        {
            // "type or namespace not found" / "does not exist in the namespace": inside a using of an allowed namespace,
            // or (CS0246 only) naming an allowed type where a type is expected, attribute names included.
            case "CS0246" or "CS0234" when node.FirstAncestorOrSelf<UsingDirectiveSyntax>() is { Name: { } used }:
                return SdkAllowList.Namespaces.Contains(used.ToString()) ? used.ToString() : null;
            case "CS0246":
                return AllowedType(node);
            // "The name 'X' does not exist in the current context": a static member access on an allowed type
            // (FunctionsApplication.CreateBuilder, AuthorizationLevel.Function, TaskOptions.FromRetryPolicy, ...).
            case "CS0103" when node is IdentifierNameSyntax { Parent: MemberAccessExpressionSyntax access } && access.Expression == node:
                return AllowedType(node);
            // "'T' does not contain a definition for 'M'": only the packages' listed extension methods.
            case "CS1061" when node is SimpleNameSyntax name && SdkAllowList.ExtensionMethods.Contains(name.Identifier.ValueText):
                return name.Identifier.ValueText;
            default:
                return null;
        }
    }

    private static string? AllowedType(SyntaxNode node)
    {
        if (node is not SimpleNameSyntax name)
        {
            return null;
        }

        var text = name.Identifier.ValueText;
        var isAttribute = node.Parent is AttributeSyntax;
        var candidate = isAttribute && !text.EndsWith("Attribute", StringComparison.Ordinal) ? text + "Attribute" : text;
        return SdkAllowList.Types.Contains(candidate) ? candidate : null;
    }

    private static IReadOnlyList<MetadataReference> LoadReferences()
    {
        // .../dotnet/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll -> .../dotnet
        var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var framework = FrameworkPacks
            .SelectMany(pack => Directory.EnumerateFiles(RefDirectory(dotnetRoot, pack), "*.dll"))
            .ToList();
        var frameworkNames = framework.Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase);

        // Messaging.Shared and what it brings (Azure.Core, Azure.Identity, Azure.Data.Tables, Polly, ...), as loaded by
        // this test process; framework assemblies come from the reference packs above, never twice.
        var packages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<Assembly>([typeof(WebhookIngress).Assembly]);
        while (pending.TryPop(out var assembly))
        {
            var name = assembly.GetName().Name!;
            if (frameworkNames.Contains(name) || assembly.IsDynamic || string.IsNullOrEmpty(assembly.Location) || !packages.TryAdd(name, assembly.Location))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => !frameworkNames.Contains(r.Name!)))
            {
                try
                {
                    pending.Push(Assembly.Load(reference));
                }
                catch (FileNotFoundException)
                {
                    // Not shipped with this test (an optional dependency the runtime never loads); nothing compiles against it.
                }
            }
        }

        return framework.Concat(packages.Values).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToList();
    }

    private static string RefDirectory(string dotnetRoot, string pack)
    {
        var versions = Path.Combine(dotnetRoot, "packs", pack);
        var version = Directory.EnumerateDirectories(versions)
            .Select(Path.GetFileName)
            .Where(v => v!.StartsWith($"{Environment.Version.Major}.", StringComparison.Ordinal))
            .OrderByDescending(v => Version.TryParse(v!.Split('-')[0], out var parsed) ? parsed : new Version())
            .First();
        return Path.Combine(versions, version!, "ref", $"net{Environment.Version.Major}.0");
    }
}
