namespace Messaging.Bench;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "floor")
        {
            await FloorServer.RunAsync(args[1..]);
            return 0;
        }

        if (args.Length > 0 && args[0] == "erasure")
        {
            return await ErasureBenchmark.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "conversations")
        {
            return await ConversationBenchmark.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "campaigns")
        {
            return await CampaignBenchmark.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "retention")
        {
            return await RetentionBenchmark.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "processing")
        {
            return await ProcessingBenchmark.RunAsync(ProcessingBenchOptions.Parse(args[1..]));
        }

        return await AckBenchmark.RunAsync(BenchOptions.Parse(args));
    }
}
