using Messaging.Functions.Tests.Infrastructure;

namespace Messaging.Functions.Tests;

/// <summary>
/// src/Functions is built for real; only the Service Bus trigger file is left out, because its package does not
/// restore here. This compiles that file anyway, against the real build's own references and options, and tolerates
/// nothing but the trigger attribute it cannot resolve.
/// </summary>
public sealed class FunctionsCompileTests
{
    /// <summary>The trigger file the mutation cases edit; the outbound send trigger is left out the same way.</summary>
    private const string TriggerFile = "InboundWebhookTrigger.cs";

    private static readonly string[] TriggerFiles = [TriggerFile, "OutboundSendTrigger.cs", "CampaignSendTrigger.cs"];

    [Fact]
    public void The_build_leaves_out_only_the_service_bus_trigger_file_and_compiles_against_the_real_sdk()
    {
        var inputs = FunctionsBuild.Inputs;
        var references = inputs.References.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(TriggerFiles.Order(StringComparer.Ordinal), inputs.LeftOut.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(inputs.Compile, c => inputs.LeftOut.Contains(c));
        Assert.Contains("Microsoft.Azure.Functions.Worker.Core.dll", references);
        Assert.Contains("Microsoft.DurableTask.Client.dll", references);
        Assert.Contains("Azure.Messaging.ServiceBus.dll", references);
        Assert.DoesNotContain("Microsoft.Azure.Functions.Worker.Extensions.ServiceBus.dll", references);
    }

    [Fact]
    public void The_left_out_trigger_compiles_against_the_real_references_but_for_its_attribute()
    {
        var (_, unexpected) = FunctionsCompiler.Classify(FunctionsCompiler.Compile(FunctionsCompiler.FunctionsTrees()));

        Assert.True(unexpected.Count == 0, FunctionsCompiler.Describe(unexpected));
    }

    [Fact]
    public void Every_allow_list_entry_is_needed()
    {
        var (tolerated, _) = FunctionsCompiler.Classify(FunctionsCompiler.Compile(FunctionsCompiler.FunctionsTrees()));

        Assert.Equal(FunctionsCompiler.TriggerAttributeAllowList.Order(), tolerated.Select(t => t.Name).Distinct().Order());
    }

    /// <summary>Each is a mistake in the left-out file that the production build would catch; the check must catch it too.</summary>
    [Theory]
    [InlineData("an unrelated type error", null, "file static class Probe { public static int Wrong() => \"text\"; }", "CS0029")]
    [InlineData("a nullable warning (warnings are errors)", null, "file static class Probe { public static string Wrong() => null; }", "CS8603")]
    [InlineData("a misspelt member of the real Functions SDK", null, "file static class Probe { public static object Wrong() => Microsoft.Azure.Functions.Worker.AuthorizationLevel.Functoin; }", "CS0117")]
    [InlineData("the allow-listed name used as a type, not as the attribute", null, "file static class Probe { public static ServiceBusTriggerAttribute? Wrong() => null; }", "CS0246")]
    [InlineData("a misspelt trigger attribute", "[ServiceBusTrigger(", "[ServiceBusTriger(", "CS0246")]
    [InlineData("a misspelt type from the restored Service Bus client", "ServiceBusReceivedMessage message", "ServiceBusRecievedMessage message", "CS0246")]
    [InlineData("a misspelt constant inside the unresolved attribute", "ServiceBusWebhookQueue.QueueName", "ServiceBusWebhookQueue.QueueNam", "CS0117")]
    public void The_check_catches_a_mistake_in_the_left_out_file(string mistake, string? original, string replacement, string expectedId)
    {
        var trees = FunctionsCompiler.FunctionsTrees((name, text) =>
        {
            if (name != TriggerFile)
            {
                return text;
            }

            if (original is null)
            {
                return text + Environment.NewLine + replacement + Environment.NewLine;
            }

            Assert.Contains(original, text, StringComparison.Ordinal);
            return text.Replace(original, replacement, StringComparison.Ordinal);
        });

        var (_, unexpected) = FunctionsCompiler.Classify(FunctionsCompiler.Compile(trees));

        Assert.True(unexpected.Any(d => d.Id == expectedId), $"{mistake}: expected {expectedId}, got: {FunctionsCompiler.Describe(unexpected)}");
    }

    /// <summary>The check reaches every file the switch leaves out, not only the one the cases above edit.</summary>
    [Theory]
    [InlineData("InboundWebhookTrigger.cs", "handler.HandleAsync(", "handler.HandleAsnyc(")]
    [InlineData("OutboundSendTrigger.cs", "handler.HandleAsync(", "handler.HandleAsnyc(")]
    [InlineData("CampaignSendTrigger.cs", "handler.HandleAsync(", "handler.HandleAsnyc(")]
    [InlineData("CampaignSendTrigger.cs", "m.Body.ToMemory()", "m.Body.ToMemroy()")]
    public void The_check_covers_each_left_out_trigger_file(string file, string original, string replacement, string expectedId = "CS1061")
    {
        var trees = FunctionsCompiler.FunctionsTrees((name, text) =>
        {
            if (name != file)
            {
                return text;
            }

            Assert.Contains(original, text, StringComparison.Ordinal);
            return text.Replace(original, replacement, StringComparison.Ordinal);
        });

        var (_, unexpected) = FunctionsCompiler.Classify(FunctionsCompiler.Compile(trees));

        Assert.Contains(unexpected, d => d.Id == expectedId && Path.GetFileName(d.Location.SourceTree?.FilePath) == file);
    }

    [Fact]
    public void The_trigger_attribute_is_tolerated_only_in_the_file_the_switch_leaves_out()
    {
        var elsewhere = FunctionsCompiler.Parse(
            """
            using Microsoft.Azure.Functions.Worker;
            namespace Messaging.Functions.Probe;
            public sealed class Probe
            {
                [Function("Probe")]
                public void Run([ServiceBusTrigger("q")] string body) { }
            }
            """,
            Path.Combine(Repository.FunctionsDirectory, "Probe.cs"));

        var (_, unexpected) = FunctionsCompiler.Classify(FunctionsCompiler.Compile([.. FunctionsCompiler.FunctionsTrees(), elsewhere]));

        Assert.Contains(unexpected, d => d.Id == "CS0246" && d.Location.SourceTree == elsewhere);
    }
}
