using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Messaging.Shared.Configuration;
using Messaging.Shared.Templates;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Campaigns.Templates;

/// <summary>
/// The WhatsApp Business Account's templates from Graph <c>GET /{version}/{waba-id}/message_templates</c>, following
/// <c>paging.next</c>, overlaid with what Meta's template webhooks reported since (the Templates table): a template
/// PAUSED, DISABLED or re-categorised by webhook counts as such here, for the API and for every campaign check.
/// Without <see cref="MetaOptions.BusinessAccountId"/> there are none.
/// </summary>
public sealed class MessageTemplateCatalog(HttpClient http, IOptionsMonitor<MetaOptions> meta, TemplateStore? webhookStates = null)
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

        return webhookStates is null ? templates : Overlay(templates, await webhookStates.ListAsync(cancellationToken));
    }

    /// <summary>A webhook's status and category win over Graph's answer: Graph may lag, and the sandbox's never changes.</summary>
    public static IReadOnlyList<MessageTemplate> Overlay(IReadOnlyList<MessageTemplate> fromGraph, IReadOnlyList<TemplateState> fromWebhooks)
    {
        ArgumentNullException.ThrowIfNull(fromGraph);
        ArgumentNullException.ThrowIfNull(fromWebhooks);
        return [.. fromGraph.Select(template =>
        {
            var state = fromWebhooks.FirstOrDefault(s => template.Id is not null && s.TemplateId == template.Id)
                ?? fromWebhooks.FirstOrDefault(s => s.Name == template.Name
                    && (s.Language is null || string.Equals(s.Language, template.Language, StringComparison.OrdinalIgnoreCase)));
            return state is null
                ? template
                : template with
                {
                    Status = state.Status is "REINSTATED" ? MessageTemplate.Approved : state.Status ?? template.Status,
                    Category = state.Category ?? template.Category,
                    Quality = state.Quality ?? template.Quality,
                };
        })];
    }

    public async Task<MessageTemplate?> FindAsync(CampaignTemplateRef template, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(t =>
            string.Equals(t.Name, template.Name, StringComparison.Ordinal) && string.Equals(t.Language, template.Language, StringComparison.OrdinalIgnoreCase));

    private sealed record TemplatePage(
        [property: JsonPropertyName("data")] List<MessageTemplate>? Data,
        [property: JsonPropertyName("paging")] TemplatePaging? Paging);

    private sealed record TemplatePaging([property: JsonPropertyName("next")] string? Next);
}
