using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Messaging.Infra.Tests.Infrastructure;

/// <summary>
/// One template in the compiled tree: the root (main.bicep) or the inner template of a module, which Bicep
/// compiles to a nested Microsoft.Resources/deployments resource with inner expression scope.
/// </summary>
public sealed partial class ArmScope
{
    private ArmScope(JsonObject template, ArmScope? parent, JsonObject? passedParameters, string path)
    {
        Template = template;
        Parent = parent;
        PassedParameters = passedParameters;
        Path = path;
    }

    public JsonObject Template { get; }

    public ArmScope? Parent { get; }

    /// <summary>The parameters block of the deployment resource that instantiates this template (null at the root).</summary>
    public JsonObject? PassedParameters { get; }

    /// <summary>"main" or "main/storage" etc., for messages.</summary>
    public string Path { get; }

    public JsonObject Parameters => Template["parameters"] as JsonObject ?? [];

    public JsonObject Variables => Template["variables"] as JsonObject ?? [];

    public JsonObject Outputs => Template["outputs"] as JsonObject ?? [];

    public static ArmScope Root(JsonObject template) => new(template, null, null, "main");

    /// <summary>This template's own resources (array form, or the symbolic-name object form of languageVersion 2.0).</summary>
    public IEnumerable<ArmResource> OwnResources()
    {
        var resources = Template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>(),
            _ => [],
        };
        return resources
            .Where(r => r["existing"]?.GetValue<bool>() != true)
            .Select(r => new ArmResource(r, this));
    }

    /// <summary>This template and every nested deployment template below it, depth first.</summary>
    public IEnumerable<ArmScope> SelfAndDescendants()
    {
        yield return this;
        foreach (var deployment in OwnResources().Where(r => r.Type == "Microsoft.Resources/deployments"))
        {
            if (deployment.Properties?["template"] is JsonObject inner)
            {
                var child = new ArmScope(inner, this, deployment.Properties["parameters"] as JsonObject, $"{Path}/{deployment.Name}");
                foreach (var scope in child.SelfAndDescendants())
                {
                    yield return scope;
                }
            }
        }
    }

    /// <summary>
    /// The values an ARM value can take: a literal is itself; [parameters('p')] is the parameter's allowedValues,
    /// else what the parent deployment passes (resolved in the parent), else its default; [variables('v')] is the
    /// variable's value. Anything else stays an unresolved expression string, which no literal check accepts.
    /// </summary>
    public IReadOnlyList<JsonNode?> Candidates(JsonNode? value)
    {
        if (value is not JsonValue v || !v.TryGetValue<string>(out var text) || !IsExpression(text))
        {
            return [value];
        }

        var parameter = ParameterReference().Match(text);
        if (parameter.Success)
        {
            var name = parameter.Groups[1].Value;
            var definition = Parameters[name];
            if (definition?["allowedValues"] is JsonArray allowed)
            {
                return allowed.ToList();
            }

            if (Parent is not null && PassedParameters?[name] is JsonObject passed && passed.ContainsKey("value"))
            {
                return Parent.Candidates(passed["value"]);
            }

            if (definition is JsonObject d && d.ContainsKey("defaultValue"))
            {
                return Candidates(d["defaultValue"]);
            }

            return [value];
        }

        var variable = VariableReference().Match(text);
        if (variable.Success && Variables.ContainsKey(variable.Groups[1].Value))
        {
            return Candidates(Variables[variable.Groups[1].Value]);
        }

        return [value];
    }

    /// <summary>Every GUID an expression names, directly or through the string variables it references.</summary>
    public IReadOnlyList<string> GuidsIn(string expression)
    {
        var expanded = VariableUse().Replace(expression, m =>
            Variables[m.Groups[1].Value] is JsonValue value && value.TryGetValue<string>(out var s) ? $"'{s}'" : m.Value);
        return Guid().Matches(expanded).Select(m => m.Value.ToLowerInvariant()).Distinct().ToList();
    }

    public static bool IsExpression(string text) => text.StartsWith('[') && text.EndsWith(']') && !text.StartsWith("[[", StringComparison.Ordinal);

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex VariableUse();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();
}

/// <summary>A resource together with the template it is declared in.</summary>
public sealed class ArmResource(JsonObject json, ArmScope scope)
{
    public JsonObject Json { get; } = json;

    public ArmScope Scope { get; } = scope;

    public string Type => Json["type"]?.GetValue<string>() ?? "";

    public string Name => Json["name"]?.ToString() ?? "";

    public JsonObject? Properties => Json["properties"] as JsonObject;

    /// <summary>Resource type an extension resource (diagnostic setting, role assignment) is scoped to, from its "scope" expression.</summary>
    public string? ScopeType
    {
        get
        {
            var scope = Json["scope"]?.GetValue<string>();
            if (scope is null)
            {
                return null;
            }

            var first = scope.IndexOf('\'', StringComparison.Ordinal);
            var second = first < 0 ? -1 : scope.IndexOf('\'', first + 1);
            if (second < 0)
            {
                return null;
            }

            // resourceId('Microsoft.X/y/z', ...) or format('Microsoft.X/y/{0}/z/{1}', ...)
            var literal = scope[(first + 1)..second];
            var segments = literal.Split('/').Where(s => !s.StartsWith('{')).ToArray();
            return string.Join('/', segments);
        }
    }

    public IReadOnlyList<JsonNode?> Candidates(string propertyPath)
    {
        JsonNode? node = Json;
        foreach (var part in propertyPath.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return Scope.Candidates(node);
    }

    public bool Has(string propertyPath)
    {
        JsonNode? node = Json;
        foreach (var part in propertyPath.Split('.'))
        {
            if (node is not JsonObject o || !o.ContainsKey(part))
            {
                return false;
            }

            node = o[part];
        }

        return node is not null;
    }

    public override string ToString() => $"{Type} {Name} (in {Scope.Path})";
}

public static class Arm
{
    public static IReadOnlyList<ArmResource> AllResources(JsonObject root) =>
        ArmScope.Root(root).SelfAndDescendants().SelectMany(s => s.OwnResources()).ToList();

    public static IReadOnlyList<ArmResource> OfType(JsonObject root, string type) =>
        AllResources(root).Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    public static bool IsBool(JsonNode? node, bool expected) =>
        node is JsonValue v && v.TryGetValue<bool>(out var b) && b == expected;

    public static bool IsString(JsonNode? node, string expected) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && string.Equals(s, expected, StringComparison.Ordinal);

    public static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static int? AsInt(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;

    /// <summary>True when the value is known and every value it can take satisfies the predicate.</summary>
    public static bool All(IReadOnlyList<JsonNode?> candidates, Func<JsonNode?, bool> predicate) =>
        candidates.Count > 0 && candidates.All(predicate);
}
