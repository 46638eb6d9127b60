using Messaging.Functions.Tests.Infrastructure;

namespace Messaging.Functions.Tests;

/// <summary>src/Functions cannot be built here; this is the build: every diagnostic must be about an allow-listed SDK name.</summary>
public sealed class FunctionsCompileTests
{
    [Fact]
    public void Functions_sources_compile_except_for_the_allow_listed_sdk_names()
    {
        var (_, unexpected) = FunctionsCompiler.Classify(FunctionsCompiler.Compile(FunctionsCompiler.FunctionsTrees()));

        Assert.True(unexpected.Count == 0, FunctionsCompiler.Describe(unexpected));
    }

    [Fact]
    public void Every_allow_list_entry_is_needed()
    {
        var (tolerated, _) = FunctionsCompiler.Classify(FunctionsCompiler.Compile(FunctionsCompiler.FunctionsTrees()));
        var used = tolerated.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        var stale = SdkAllowList.Namespaces.Concat(SdkAllowList.Types).Concat(SdkAllowList.ExtensionMethods).Where(n => !used.Contains(n)).ToList();

        Assert.True(stale.Count == 0, "Allow-listed but never used: " + string.Join(", ", stale));
    }

    [Fact]
    public void Harness_reports_the_known_missing_types_as_tolerated_not_as_passing_silently()
    {
        var (tolerated, _) = FunctionsCompiler.Classify(FunctionsCompiler.Compile(FunctionsCompiler.FunctionsTrees()));

        Assert.Contains(tolerated, t => t.Diagnostic.Id == "CS0246" && t.Name == "ServiceBusReceivedMessage");
    }

    /// <summary>Each mutation is a mistake the real build would catch; the harness must catch it too.</summary>
    [Theory]
    [InlineData("InboundWebhookTrigger.cs", "ServiceBusReceivedMessage message", "ServiceBusRecievedMessage message", "CS0246")]
    [InlineData("WebhookFunctions.cs", "ingress.AcceptAsync(request.Headers[\"X-Hub-Signature-256\"], body, cancellationToken)", "ingress.AcceptAsync(body, cancellationToken)", "CS7036")]
    [InlineData("DeciderOrchestration.cs", "decider.Apply(state, next.Input)", "decider.Apply(next.Input, state)", "CS1503")]
    [InlineData("InboundWebhookTrigger.cs", "[Function(\"ProcessInboundWebhook\")]", "[Functoin(\"ProcessInboundWebhook\")]", "CS0246")]
    [InlineData("ServiceBusWebhookQueue.cs", "public int InlineBodyLimit => 160 * 1024;", "public long InlineBodyLimit => 160 * 1024;", "CS0738")]
    [InlineData("PurgeDurableHistory.cs", "using Microsoft.DurableTask.Client;", "using Microsoft.DurableTasks.Client;", "CS0234")]
    [InlineData("FunctionsHostServiceExtensions.cs", "services.AddMessagingCore(configuration);", "services.AddMessagingCores(configuration);", "CS1061")]
    public void Harness_catches_a_mistake(string file, string original, string replacement, string expectedId)
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

        Assert.Contains(unexpected, d => d.Id == expectedId);
    }

    [Fact]
    public void Harness_catches_a_misspelt_sdk_type_in_a_new_file()
    {
        var snippet = FunctionsCompiler.Parse(
            """
            using Microsoft.DurableTask;
            namespace Messaging.Functions.Probe;
            public static class Probe
            {
                public static object Options() => TaskOption.FromRetryPolicy(null!);
            }
            """,
            "Probe.cs");

        var (_, unexpected) = FunctionsCompiler.Classify(FunctionsCompiler.Compile([.. FunctionsCompiler.FunctionsTrees(), snippet]));

        Assert.Contains(unexpected, d => d.Id == "CS0103" && d.GetMessage().Contains("TaskOption", StringComparison.Ordinal));
    }
}
