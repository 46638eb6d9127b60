using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Conversations;

/// <summary>
/// The shared inbox page (<c>/console/inbox</c>). The page holds no data: everything it shows comes from the
/// conversation API with the key the agent enters once (kept in the tab's session storage). In Azure the page sits
/// behind App Service Authentication (Entra ID) as well.
/// </summary>
public sealed class InboxPageHandlers
{
    private static readonly Lazy<string> Html = new(() =>
    {
        using var stream = typeof(InboxPageHandlers).Assembly.GetManifestResourceStream("Messaging.Shared.Conversations.inbox.html")
            ?? throw new InvalidOperationException("inbox.html is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public ContentHttpResult Page() => TypedResults.Content(Html.Value, "text/html; charset=utf-8");
}
