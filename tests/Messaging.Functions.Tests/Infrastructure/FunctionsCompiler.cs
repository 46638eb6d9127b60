using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>
/// Repeats the real build of src/Functions with Roslyn, this time including the source files that the
/// IncludeServiceBusTrigger switch leaves out: the same sources, references (after NuGet and project resolution),
/// preprocessor symbols, nullable context and suppressed warnings, as the build wrote them to obj/ (see
/// <see cref="FunctionsBuild"/>). The only diagnostics tolerated are those in a left-out file about the one type whose
/// package the build could not restore (<see cref="TriggerAttributeAllowList"/>).
/// </summary>
public static partial class FunctionsCompiler
{
    /// <summary>
    /// The Service Bus trigger attribute, from Microsoft.Azure.Functions.Worker.Extensions.ServiceBus. Roslyn reports
    /// an unresolved attribute once under its written name and once with the Attribute suffix, both CS0246.
    /// Everything else in the left-out file (ServiceBusReceivedMessage, the Durable client, our own types) resolves
    /// against the real references.
    /// </summary>
    public static IReadOnlySet<string> TriggerAttributeAllowList { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ServiceBusTrigger",
        "ServiceBusTriggerAttribute",
    };

    private const string TypeNotFound = "CS0246";

    private static readonly Lazy<IReadOnlyList<MetadataReference>> LazyReferences =
        new(() => FunctionsBuild.Inputs.References.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToList());

    private static CSharpParseOptions ParseOptions
    {
        get
        {
            var inputs = FunctionsBuild.Inputs;
            return new CSharpParseOptions(
                LanguageVersionFacts.TryParse(inputs.LangVersion, out var version) ? version : LanguageVersion.Latest,
                preprocessorSymbols: inputs.DefineConstants);
        }
    }

    public static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

    /// <summary>What the build compiled plus what it left out, as on disk, optionally with one file's text changed (by file name).</summary>
    public static IReadOnlyList<SyntaxTree> FunctionsTrees(Func<string, string, string>? mutate = null) =>
        FunctionsBuild.Inputs.Compile.Concat(FunctionsBuild.Inputs.LeftOut)
            .Select(path => Parse(mutate is null ? File.ReadAllText(path) : mutate(Path.GetFileName(path), File.ReadAllText(path)), path))
            .ToList();

    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees)
    {
        var inputs = FunctionsBuild.Inputs;
        var suppressed = inputs.NoWarn
            .Select(code => int.TryParse(code, out var number) ? $"CS{number:D4}" : code)
            .Where(code => code.StartsWith("CS", StringComparison.Ordinal))
            .Distinct()
            .ToDictionary(code => code, _ => ReportDiagnostic.Suppress);
        return CSharpCompilation.Create(
            "Messaging.Functions",
            trees,
            LazyReferences.Value,
            new CSharpCompilationOptions(
                OutputKind.ConsoleApplication,
                nullableContextOptions: inputs.Nullable,
                specificDiagnosticOptions: suppressed));
    }

    /// <summary>Splits errors and warnings (TreatWarningsAsErrors is on) into tolerated and unexpected ones.</summary>
    public static (IReadOnlyList<(Diagnostic Diagnostic, string Name)> Tolerated, IReadOnlyList<Diagnostic> Unexpected) Classify(Compilation compilation)
    {
        var leftOut = FunctionsBuild.Inputs.LeftOut.ToHashSet(StringComparer.Ordinal);
        var tolerated = new List<(Diagnostic, string)>();
        var unexpected = new List<Diagnostic>();
        foreach (var diagnostic in compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning))
        {
            if (ToleratedName(diagnostic, leftOut) is { } name)
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

    /// <returns>The allow-listed attribute name the diagnostic is about, or null when it is not tolerated.</returns>
    private static string? ToleratedName(Diagnostic diagnostic, IReadOnlySet<string> leftOut)
    {
        if (diagnostic.Id != TypeNotFound || diagnostic.Location.SourceTree is not { } tree || !leftOut.Contains(tree.FilePath))
        {
            return null;
        }

        // Only on the attribute's own name (not a using, a parameter type or an argument), and only the allow-listed names.
        var node = tree.GetRoot().FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var missing = MissingName().Match(diagnostic.GetMessage()) is { Success: true } match ? match.Groups[1].Value : null;
        return node is IdentifierNameSyntax { Parent: AttributeSyntax } && missing is not null && TriggerAttributeAllowList.Contains(missing)
            ? missing
            : null;
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex MissingName();
}
