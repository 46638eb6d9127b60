using Messaging.Shared.Campaigns.Console;
using Messaging.Shared.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Campaigns;

/// <summary>
/// The campaign page, as LocalHost's /console/campaigns. Anonymous at the function level because the page holds no
/// data (its API calls carry the key); in Azure, App Service Authentication (Entra ID) guards /console/* in front of it.
/// </summary>
public sealed class CampaignConsoleFunctions(CampaignConsoleHandlers handlers)
{
    [Function("CampaignConsole")]
    public ConsolePageResult Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/campaigns")] HttpRequest request) =>
        handlers.Show();
}
