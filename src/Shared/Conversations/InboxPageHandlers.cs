using Messaging.Shared.Http;

namespace Messaging.Shared.Conversations;

/// <summary>
/// The shared inbox page (<c>/console/inbox</c>). The page holds no data: everything it shows comes from the
/// conversation API with the key the agent enters once (kept in the tab's session storage). It is served under the
/// consoles' strict Content-Security-Policy (<see cref="ConsolePage"/>); in Azure it sits behind App Service
/// Authentication (Entra ID) as well.
/// </summary>
public sealed class InboxPageHandlers
{
    private static readonly Lazy<ConsolePage> Html = new(() =>
        ConsolePage.FromResource(typeof(InboxPageHandlers).Assembly, "Messaging.Shared.Conversations.inbox.html"));

    public ConsolePageResult Page() => Html.Value.Result();
}
