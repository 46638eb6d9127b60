using Messaging.Shared.Campaigns.Console;

namespace Messaging.LocalHost.Campaigns;

/// <summary>The campaign page (the Functions app's CampaignConsoleFunctions).</summary>
public static class CampaignConsoleEndpoints
{
    public static IEndpointRouteBuilder MapCampaignConsoleEndpoints(this IEndpointRouteBuilder app)
    {
        // The page itself holds no data and asks for the API key once; every call it makes is keyed.
        app.MapGet(CampaignConsoleHandlers.Route, (CampaignConsoleHandlers handlers) => handlers.Show())
            .WithTags("Campaigns")
            .WithName("CampaignConsole")
            .WithSummary("The campaign page: create from a template and a CSV or phone list, see exclusions, start, pause, resume, cancel, live progress.");
        return app;
    }
}
