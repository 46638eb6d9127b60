using System.Text.Json;
using Messaging.Shared.Consent;
using Messaging.Shared.Consent.OptIn;
using Messaging.Shared.Workflows;
using static Messaging.Shared.Consent.OptIn.DoubleOptInInput;

namespace Messaging.Shared.Tests.Consent;

/// <summary>What a host (Durable Functions) stores between steps must survive its JSON serializer unchanged.</summary>
public sealed class DoubleOptInWireTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly Requested Request = new(
        "r-1", "ck-1", ConsentPurpose.Marketing,
        new ConsentProof(ConsentSources.DoubleOptIn, ConsentChannels.WhatsApp, "Ja, ich möchte ...", "v1", "p1", "form-7"),
        T0, TimeSpan.FromHours(72));

    public static TheoryData<string> Signals() => new() { DoubleOptInSignal.Confirm, DoubleOptInSignal.Decline, DoubleOptInSignal.Stop };

    [Theory]
    [MemberData(nameof(Signals))]
    public void A_signal_maps_to_the_decider_input_it_stands_for(string kind)
    {
        var input = new DoubleOptInSignal(kind, "ev-1", T0).ToInput();

        DoubleOptInInput expected = kind switch
        {
            DoubleOptInSignal.Confirm => new ReplyReceived(ReplyKind.Confirm, "ev-1", T0),
            DoubleOptInSignal.Decline => new ReplyReceived(ReplyKind.Decline, "ev-1", T0),
            _ => new StopReceived("ev-1", T0),
        };
        Assert.Equal(expected, input);
    }

    [Fact]
    public void An_unknown_signal_kind_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => new DoubleOptInSignal("maybe", "ev-1", T0).ToInput());
    }

    [Fact]
    public void A_signal_round_trips_through_json_with_default_and_web_options()
    {
        var signal = DoubleOptInSignal.Reply(ReplyKind.Confirm, "ev-1", T0);

        foreach (var options in new[] { JsonSerializerOptions.Default, JsonSerializerOptions.Web })
        {
            Assert.Equal(signal, JsonSerializer.Deserialize<DoubleOptInSignal>(JsonSerializer.Serialize(signal, options), options));
        }
    }

    [Fact]
    public void The_start_request_round_trips_through_the_workflow_queue_and_gives_back_the_request()
    {
        var definition = DoubleOptInWorkflow.Definition;
        var instance = DoubleOptInWorkflow.Instance("ck-1", "r-1");
        var queued = WorkflowRequest.For(WorkflowRequest.Start, instance, "start", definition.SerializeInput(Request));

        var copy = WorkflowRequest.FromBinary(queued.ToBinary());

        Assert.Equal(queued, copy);
        Assert.Equal(Request, definition.DeserializeInput(copy.Input!));
        Assert.Equal("doi-r-1", copy.Instance.Id);
        Assert.Equal("ck-1", copy.Instance.PartitionKey);
    }

    [Fact]
    public void A_request_serialised_as_its_own_type_still_carries_its_discriminator()
    {
        var json = DoubleOptInWorkflow.Definition.SerializeInput(Request);

        Assert.Contains("\"$kind\":\"requested\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_command_of_every_path_round_trips_through_the_codec()
    {
        var awaiting = DoubleOptIn.Evolve(DoubleOptIn.Initial, Request);
        var paths = new DoubleOptInInput[]
        {
            new ReplyReceived(ReplyKind.Confirm, "ev", T0.AddHours(1)),
            new ReplyReceived(ReplyKind.Decline, "ev", T0.AddHours(1)),
            new StopReceived("ev", T0.AddHours(1)),
            new DeadlineReached(T0.AddHours(73)),
            new ConfirmationFailed("meta-131026", T0.AddMinutes(1)),
        };
        var commands = DoubleOptIn.Decide(DoubleOptIn.Initial, Request)
            .Concat(paths.SelectMany(p => DoubleOptIn.Decide(awaiting, p)))
            .ToList();

        Assert.Equal(2, commands.Select(c => c.GetType()).Distinct().Count());
        foreach (var command in commands)
        {
            var copy = DoubleOptInCommandCodec.Deserialize(DoubleOptInCommandCodec.Serialize(command));
            Assert.Equal(command, copy); // record equality, nested consent event and proof included
        }
    }

    [Fact]
    public void Text_that_is_not_a_command_is_refused()
    {
        Assert.ThrowsAny<JsonException>(() => DoubleOptInCommandCodec.Deserialize("""{"$kind":"launch-rocket"}"""));
    }
}
