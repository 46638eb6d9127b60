using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>One function as the Functions host registers it: from functions.metadata, which the Worker SDK generates at build.</summary>
public sealed record FunctionMetadata(string Name, string EntryPoint, IReadOnlyList<FunctionBinding> Bindings)
{
    public FunctionBinding? HttpTrigger => Bindings.SingleOrDefault(b => b.Type == "httpTrigger");
}

/// <summary>A binding's type, the HTTP trigger's properties and a queue trigger's queue (null where they do not apply).</summary>
public sealed record FunctionBinding(string Name, string Type, string? AuthLevel, IReadOnlyList<string>? Methods, string? Route, string? QueueName);

public static class FunctionsMetadata
{
    /// <summary>The file the real build of src/Functions wrote.</summary>
    public static string Path => FunctionsBuild.MetadataFile;

    public static string ReadText() => File.Exists(Path)
        ? File.ReadAllText(Path)
        : throw new InvalidOperationException($"{Path} is missing: build src/Functions (it is in Messaging.Local.slnf).");

    public static IReadOnlyList<FunctionMetadata> Read() => Parse(ReadText());

    public static IReadOnlyList<FunctionMetadata> Parse(string json) =>
        JsonNode.Parse(json)!.AsArray().Select(f => new FunctionMetadata(
            (string)f!["name"]!,
            (string)f["entryPoint"]!,
            f["bindings"]!.AsArray().Select(b => new FunctionBinding(
                (string)b!["name"]!,
                (string)b["type"]!,
                (string?)b["authLevel"],
                b["methods"]?.AsArray().Select(m => (string)m!).ToList(),
                (string?)b["route"],
                (string?)b["queueName"])).ToList())).ToList();

    /// <summary>For the tests that prove a comparison notices a change: edit the HTTP trigger of one function.</summary>
    public static string WithHttpTrigger(string json, string function, Action<JsonObject> edit)
    {
        var functions = JsonNode.Parse(json)!.AsArray();
        var trigger = functions.Single(f => (string)f!["name"]! == function)!["bindings"]!.AsArray()
            .Single(b => (string)b!["type"]! == "httpTrigger")!.AsObject();
        edit(trigger);
        return functions.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static string Without(string json, string function)
    {
        var functions = JsonNode.Parse(json)!.AsArray();
        functions.Remove(functions.Single(f => (string)f!["name"]! == function));
        return functions.ToJsonString();
    }

    public static string Renamed(string json, string function, string newName)
    {
        var functions = JsonNode.Parse(json)!.AsArray();
        functions.Single(f => (string)f!["name"]! == function)!["name"] = newName;
        return functions.ToJsonString();
    }
}
