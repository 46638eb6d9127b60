using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Messaging.Shared.Consent.Ledger;
using static Messaging.Shared.Consent.OptIn.DoubleOptInCommand;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// Turns a <see cref="DoubleOptInCommand"/> into a JSON string and back, with explicit type discriminators for the
/// command and the consent event it may carry. Hosts pass commands across process boundaries (Durable activity
/// inputs) as this string, because the host's serializer does not know these closed hierarchies.
/// </summary>
public static class DoubleOptInCommandCodec
{
    private static readonly JsonSerializerOptions Options = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AddDiscriminators } },
    };

    public static string Serialize(DoubleOptInCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return JsonSerializer.Serialize(command, Options);
    }

    /// <exception cref="JsonException">The text is not a command this codec wrote.</exception>
    public static DoubleOptInCommand Deserialize(string json) =>
        JsonSerializer.Deserialize<DoubleOptInCommand>(json, Options) ?? throw new JsonException("Not a double opt-in command.");

    private static void AddDiscriminators(JsonTypeInfo info)
    {
        if (info.Type == typeof(DoubleOptInCommand))
        {
            info.PolymorphismOptions = Polymorphism(
                new(typeof(SendConfirmationTemplate), "send-confirmation"),
                new(typeof(AppendConsentEvent), "append-event"),
                new(typeof(ScheduleDeadline), "schedule-deadline"),
                new(typeof(CancelDeadline), "cancel-deadline"),
                new(typeof(Complete), "complete"));
        }
        else if (info.Type == typeof(ConsentEvent))
        {
            info.PolymorphismOptions = Polymorphism(
                new(typeof(ConsentRequested), "requested"),
                new(typeof(ConsentConfirmed), "confirmed"),
                new(typeof(ConsentDeclined), "declined"),
                new(typeof(ConsentExpired), "expired"),
                new(typeof(ConsentGranted), "granted"),
                new(typeof(ConsentWithdrawn), "withdrawn"));
        }
    }

    private static JsonPolymorphismOptions Polymorphism(params JsonDerivedType[] types)
    {
        var options = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "$kind",
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
        };
        foreach (var type in types)
        {
            options.DerivedTypes.Add(type);
        }

        return options;
    }
}
