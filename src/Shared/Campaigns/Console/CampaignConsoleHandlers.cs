using Messaging.Shared.Http;

namespace Messaging.Shared.Campaigns.Console;

/// <summary>
/// The campaign page (<c>/console/campaigns</c>) for marketing teams. The page holds no data: everything it shows
/// comes from the campaign API with the key entered once (kept in the tab's session storage). In Azure the page sits
/// behind App Service Authentication (Entra ID) as well.
/// </summary>
public sealed class CampaignConsoleHandlers
{
    public const string Route = "/console/campaigns";

    private static readonly Lazy<ConsolePage> Page = new(() =>
        ConsolePage.FromResource(typeof(CampaignConsoleHandlers).Assembly, "Messaging.Shared.Campaigns.Console.campaigns.html"));

    public ConsolePageResult Show() => Page.Value.Result();
}
