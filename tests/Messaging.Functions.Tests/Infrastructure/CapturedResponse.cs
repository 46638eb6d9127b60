using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Messaging.Shared.Consent.OptInPage;
using Microsoft.AspNetCore.Http;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>What a host answered: status, the headers the shared handlers own, and the body.</summary>
public sealed partial record CapturedResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>Headers our handlers and their results set; transport headers (Date, Server, lengths) differ by host and are not compared.</summary>
    public static IReadOnlyList<string> ComparedHeaders { get; } =
        ["Content-Type", "Location", "Vary", "WWW-Authenticate", .. OptInPageHtml.ResponseHeaders.Select(h => h.Key)];

    public string? ContentType => Headers.GetValueOrDefault("Content-Type");

    public static async Task<CapturedResponse> FromAsync(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ComparedHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            {
                headers[name] = string.Join(", ", values);
            }
        }

        return new((int)response.StatusCode, headers, await response.Content.ReadAsStringAsync());
    }

    public static CapturedResponse From(HttpResponse response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ComparedHeaders)
        {
            if (response.Headers.TryGetValue(name, out var values))
            {
                headers[name] = values.ToString();
            }
        }

        response.Body.Position = 0;
        return new(response.StatusCode, headers, new StreamReader(response.Body, Encoding.UTF8).ReadToEnd());
    }

    /// <returns>One line per difference between the two answers; empty when they are alike.</returns>
    /// <remarks>
    /// Two things differ by design and are masked: a problem's traceId (per request; it must be present on both or
    /// neither) and the opt-in page's one-time code (random per sign-up).
    /// </remarks>
    /// <param name="mask">A further pattern, in body and headers, that differs per request by design in one case (a new id).</param>
    public static IReadOnlyList<string> Differences(CapturedResponse functions, CapturedResponse localHost, string? mask = null)
    {
        if (mask is not null)
        {
            (functions, localHost) = (functions.Masked(mask), localHost.Masked(mask));
        }

        var differences = new List<string>();
        if (functions.Status != localHost.Status)
        {
            differences.Add($"status: Functions {functions.Status}, LocalHost {localHost.Status}");
        }

        foreach (var name in ComparedHeaders)
        {
            var (f, l) = (functions.Headers.GetValueOrDefault(name), localHost.Headers.GetValueOrDefault(name));
            if (!string.Equals(f, l, StringComparison.Ordinal))
            {
                differences.Add($"{name}: Functions '{f}', LocalHost '{l}'");
            }
        }

        var (fb, lb) = (Comparable(functions), Comparable(localHost));
        if (!string.Equals(fb, lb, StringComparison.Ordinal))
        {
            differences.Add($"body:{Environment.NewLine}  Functions: {fb}{Environment.NewLine}  LocalHost: {lb}");
        }

        return differences;
    }

    private CapturedResponse Masked(string pattern) => this with
    {
        Headers = Headers.ToDictionary(h => h.Key, h => Regex.Replace(h.Value, pattern, "(masked)"), StringComparer.OrdinalIgnoreCase),
        Body = Regex.Replace(Body, pattern, "(masked)"),
    };

    private static string Comparable(CapturedResponse response)
    {
        if (response.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true && response.Body.Length > 0)
        {
            var json = JsonNode.Parse(response.Body)!;
            if (json is JsonObject problem && problem.ContainsKey("traceId"))
            {
                problem["traceId"] = "(per request)";
            }

            return json.ToJsonString();
        }

        return OptInCode().Replace(response.Body, "OPTIN-????-????");
    }

    [GeneratedRegex("OPTIN-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")]
    private static partial Regex OptInCode();
}
