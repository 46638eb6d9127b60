using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Messaging.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Campaigns.Templates;

/// <summary>
/// The WhatsApp Business Account's templates from Graph <c>GET /{version}/{waba-id}/message_templates</c>, following
/// <c>paging.next</c>. Without <see cref="MetaOptions.BusinessAccountId"/> there are none.
/// </summary>
public sealed class MessageTemplateCatalog(HttpClient http, IOptionsMonitor<MetaOptions> meta)
{
    private const int MaxPages = 20;

    public async Task<IReadOnlyList<MessageTemplate>> ListAsync(CancellationToken cancellationToken)
    {
        var options = meta.CurrentValue;
        if (string.IsNullOrWhiteSpace(options.BusinessAccountId))
        {
            return [];
        }

        var templates = new List<MessageTemplate>();
        Uri? next = new(options.GraphApiBaseUrl, $"{options.GraphApiBaseUrl.AbsolutePath.TrimEnd('/')}/{options.GraphApiVersion}/{Uri.EscapeDataString(options.BusinessAccountId)}/message_templates?limit=100");
        for (var page = 0; next is not null && page < MaxPages; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AccessToken);
            using var response = await http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<TemplatePage>(cancellationToken);
            templates.AddRange(body?.Data ?? []);
            next = body?.Paging?.Next is { } n ? new Uri(n) : null;
        }

        return templates;
    }

    public async Task<MessageTemplate?> FindAsync(CampaignTemplateRef template, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(t =>
            string.Equals(t.Name, template.Name, StringComparison.Ordinal) && string.Equals(t.Language, template.Language, StringComparison.OrdinalIgnoreCase));

    private sealed record TemplatePage(
        [property: JsonPropertyName("data")] List<MessageTemplate>? Data,
        [property: JsonPropertyName("paging")] TemplatePaging? Paging);

    private sealed record TemplatePaging([property: JsonPropertyName("next")] string? Next);
}
