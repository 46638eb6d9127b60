using System.Text.Json;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// The one JSON form of double opt-in data (commands, states, inputs, ledger events) on every host: Durable
/// activity inputs, LocalHost's workflow rows and queue messages. The discriminators come from the
/// <c>[JsonPolymorphic]</c> attributes on the closed hierarchies, so there is a single list of kinds to keep.
/// </summary>
public static class DoubleOptInCommandCodec
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Serialize(DoubleOptInCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return JsonSerializer.Serialize(command, Options);
    }

    public static DoubleOptInCommand Deserialize(string json) =>
        JsonSerializer.Deserialize<DoubleOptInCommand>(json, Options) ?? throw new JsonException("Not a double opt-in command.");
}
