using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Messaging.Shared.Tests.Webhooks.Fuzzing;

/// <summary>
/// Turns a real webhook body into a hostile one, deterministically from a seed: one to three of truncation, a value of
/// the wrong type, a missing property, a huge array, deep nesting, odd Unicode (lone surrogates, bidi overrides, NUL,
/// combining marks), an overlong string, extreme numbers, a changed field or type name, or bytes that are not UTF-8.
/// A result beyond Meta's 3 MB is cut short (and so no longer JSON).
/// Pure and dependency-free, so the long run in bench/ compiles the same file.
/// </summary>
public static class WebhookMutator
{
    // Replaced after serialising by a textual \ud800: the serialiser would refuse a lone surrogate in a string.
    private const string LoneSurrogateMarker = "ZZLONESURROGATEZZ";

    private static readonly string[] OddText =
    [
        "\u202Egnirts desrever", "\u0000", "e\u0301\u0301\u0301", "\uFEFF", "🥐🇩🇪👨‍👩‍👧", "\uFFFF", "Ω≈ç√∫", "\u200B\u200D", LoneSurrogateMarker, "\"quoted\\\"", "ﷺ", "𝕳𝖆𝖑𝖑𝖔",
    ];

    private static readonly string[] Names = ["messages", "statuses", "contacts", "errors", "user_preferences", "text", "image", "system", "revoke", "edit", "reaction", "message_template_status_update", "phone_number_quality_update", "group", "unknown"];

    public static byte[] Mutate(byte[] original, int seed)
    {
        var random = new Random(seed);
        var root = JsonNode.Parse(original)!;
        var mutations = 1 + random.Next(3);
        byte[]? bytes = null;
        for (var i = 0; i < mutations; i++)
        {
            switch (random.Next(11))
            {
                case 0:
                    bytes = Truncate(Serialize(root), random);
                    i = mutations;
                    break;
                case 1:
                    bytes = InvalidUtf8(Serialize(root), random);
                    i = mutations;
                    break;
                case 2:
                    Replace(root, random, _ => WrongType(random));
                    break;
                case 3:
                    RemoveProperty(root, random);
                    break;
                case 4:
                    HugeArray(root, random);
                    break;
                case 5:
                    Replace(root, random, node => Nest(node?.DeepClone(), 10 + random.Next(120), random));
                    break;
                case 6:
                    ReplaceString(root, random, text => text + OddText[random.Next(OddText.Length)]);
                    break;
                case 7:
                    ReplaceString(root, random, _ => new string('ä', 20_000 + random.Next(80_000)));
                    break;
                case 8:
                    Replace(root, random, _ => JsonNode.Parse(random.Next(4) switch { 0 => "1e308", 1 => "-0", 2 => "9223372036854775808", _ => "1.5" }));
                    break;
                case 9:
                    ReplaceString(root, random, _ => Names[random.Next(Names.Length)]);
                    break;
                default:
                    Replace(root, random, _ => null);
                    break;
            }
        }

        bytes ??= Serialize(root);

        // Meta's bodies are at most 3 MB; copies of copies of long strings can grow past anything the ack accepts.
        return bytes.Length <= MaxBody ? bytes : bytes[..random.Next(MaxBody)];
    }

    private const int MaxBody = 3 * 1024 * 1024;

    private static byte[] Serialize(JsonNode root)
    {
        var json = root.ToJsonString(new JsonSerializerOptions { MaxDepth = 1024 });
        return Encoding.UTF8.GetBytes(json.Replace(LoneSurrogateMarker, "\\ud800", StringComparison.Ordinal));
    }

    private static byte[] Truncate(byte[] json, Random random) => json[..random.Next(json.Length)];

    private static byte[] InvalidUtf8(byte[] json, Random random)
    {
        var at = random.Next(json.Length);
        return [.. json[..at], 0xC3, 0x28, 0xFF, .. json[at..]];
    }

    private static JsonNode? WrongType(Random random) => random.Next(6) switch
    {
        0 => JsonValue.Create(random.Next()),
        1 => JsonValue.Create("wrong"),
        2 => JsonValue.Create(random.Next(2) == 0),
        3 => new JsonArray(JsonValue.Create(1), JsonValue.Create("two")),
        4 => new JsonObject { ["unexpected"] = JsonValue.Create(true) },
        _ => null,
    };

    private static JsonNode Nest(JsonNode? inner, int depth, Random random)
    {
        var node = inner;
        for (var i = 0; i < depth; i++)
        {
            node = random.Next(2) == 0 ? new JsonArray(node) : new JsonObject { ["n"] = node };
        }

        return node!;
    }

    private static void HugeArray(JsonNode root, Random random)
    {
        var arrays = Walk(root).Select(s => s.Node).OfType<JsonArray>().Where(a => a.Count > 0).ToList();
        if (arrays.Count == 0)
        {
            return;
        }

        var array = arrays[random.Next(arrays.Count)];
        var template = array[random.Next(array.Count)];
        var copies = 20 + random.Next(300);
        for (var i = 0; i < copies; i++)
        {
            array.Add(template?.DeepClone());
        }
    }

    private static void RemoveProperty(JsonNode root, Random random)
    {
        var owners = Walk(root).Select(s => s.Node).OfType<JsonObject>().Where(o => o.Count > 0).ToList();
        if (owners.Count > 0)
        {
            var owner = owners[random.Next(owners.Count)];
            owner.Remove(owner.ElementAt(random.Next(owner.Count)).Key);
        }
    }

    private static void ReplaceString(JsonNode root, Random random, Func<string, string> change)
    {
        var strings = Walk(root).Where(s => s.Node is JsonValue v && v.GetValueKind() == JsonValueKind.String).ToList();
        if (strings.Count > 0)
        {
            var slot = strings[random.Next(strings.Count)];
            slot.Set(JsonValue.Create(change(slot.Node!.GetValue<string>())));
        }
    }

    private static void Replace(JsonNode root, Random random, Func<JsonNode?, JsonNode?> replacement)
    {
        var slots = Walk(root).Where(s => s.Set is not null).ToList();
        if (slots.Count > 0)
        {
            var slot = slots[random.Next(slots.Count)];
            slot.Set(replacement(slot.Node));
        }
    }

    /// <summary>Every node below the root, with a way to put something else in its place.</summary>
    private static List<(JsonNode? Node, Action<JsonNode?> Set)> Walk(JsonNode root)
    {
        var slots = new List<(JsonNode?, Action<JsonNode?>)>();
        void Visit(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var key in obj.Select(p => p.Key).ToList())
                    {
                        var child = obj[key];
                        slots.Add((child, value => obj[key] = value));
                        Visit(child);
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        var index = i;
                        var child = array[i];
                        slots.Add((child, value => array[index] = value));
                        Visit(child);
                    }

                    break;
            }
        }

        Visit(root);
        return slots;
    }
}
