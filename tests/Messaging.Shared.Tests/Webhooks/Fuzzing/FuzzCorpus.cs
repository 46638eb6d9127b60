using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messaging.Shared.Tests.Webhooks.Fuzzing;

/// <summary>
/// The real shapes fuzzing starts from (every webhook fixture), and the oracle that says which messages a mutated
/// body must still deliver: each message object that came through the mutation untouched, reachable along
/// entry[].changes[] (field "messages").value.messages[]. It is written apart from the parser on purpose.
/// </summary>
public static class FuzzCorpus
{
    private static readonly Lazy<byte[][]> Bodies = new(() =>
        [.. Directory.GetFiles(FixtureDirectory(), "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)]);

    public static int Count => Bodies.Value.Length;

    /// <summary>Corpus body <paramref name="index"/> with its wamids made unique to <paramref name="seed"/>, so cases cannot satisfy each other.</summary>
    public static byte[] Body(int index, int seed) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Bodies.Value[index % Count]).Replace("wamid.", $"wamid.F{seed:x8}.", StringComparison.Ordinal));

    /// <summary>Ids of the untouched, reachable messages of <paramref name="mutated"/> that must end up stored.</summary>
    public static IReadOnlyList<string> MustBeStored(byte[] original, byte[] mutated)
    {
        var pristine = Messages(JsonNode.Parse(original)).ToList();
        JsonNode? root;
        try
        {
            // Meta sends UTF-8; a body that is not is rejected whole, whatever it holds.
            root = System.Text.Unicode.Utf8.IsValid(mutated) ? JsonNode.Parse(mutated, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) : null;
        }
        catch (JsonException)
        {
            return [];
        }

        return [.. Messages(root)
            .Where(m => pristine.Any(p => SameJson(p, m)))
            .Where(m => m!["type"]?.GetValue<string>() is not ("revoke" or "edit"))
            .Select(m => m!["id"]!.GetValue<string>())
            .Distinct()];
    }

    /// <summary>Next to the test binaries, or (for the benchmark, which compiles this file too) in the repository.</summary>
    private static string FixtureDirectory()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Webhooks");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); !Directory.Exists(copied) && dir is not null; dir = dir.Parent)
        {
            copied = Path.Combine(dir.FullName, "tests", "Messaging.Shared.Tests", "Fixtures", "Webhooks");
        }

        return Directory.Exists(copied) ? copied : throw new DirectoryNotFoundException("Webhook fixtures not found.");
    }

    private static bool IsText(JsonNode? node, string expected)
    {
        try
        {
            return node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == expected;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool SameJson(JsonNode? expected, JsonNode? actual)
    {
        try
        {
            return JsonNode.DeepEquals(expected, actual);
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-16 (an escaped lone surrogate) cannot be an untouched original.
            return false;
        }
    }

    private static IEnumerable<JsonNode?> Messages(JsonNode? root)
    {
        if (root is not JsonObject { } body || body["entry"] is not JsonArray entries)
        {
            yield break;
        }

        foreach (var entry in entries)
        {
            if (entry is not JsonObject || entry["changes"] is not JsonArray changes)
            {
                continue;
            }

            foreach (var change in changes)
            {
                if (change is JsonObject && IsText(change["field"], "messages") && change["value"] is JsonObject value && value["messages"] is JsonArray messages)
                {
                    foreach (var message in messages.Where(m => m is JsonObject))
                    {
                        yield return message;
                    }
                }
            }
        }
    }

}
