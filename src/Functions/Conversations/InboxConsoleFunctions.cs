using Messaging.Shared.Conversations;
using Messaging.Shared.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Conversations;

/// <summary>
/// The shared inbox page, as LocalHost's /console/inbox. Anonymous at the function level because the page holds no
/// data (its API calls carry the key); in Azure, App Service Authentication (Entra ID) guards the site in front of it.
/// </summary>
public sealed class InboxConsoleFunctions(InboxPageHandlers handlers)
{
    [Function("InboxConsole")]
    public ConsolePageResult Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/inbox")] HttpRequest request) =>
        handlers.Page();
}
