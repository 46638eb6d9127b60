using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Messaging.Shared.Http;

/// <summary>
/// A console page (<c>/console/*</c>): one self-contained HTML file embedded in the assembly, served with a strict
/// Content-Security-Policy that allows exactly its own inline script and stylesheet by hash. Nothing loads from
/// another origin (no CDN learns who opens the console), no inline event handler or injected script could run, the
/// page cannot be framed, and it may only call back to its own origin. The page sets no cookie; in Azure, App Service
/// Authentication's own session cookie is the only one.
/// </summary>
public sealed partial class ConsolePage
{
    private ConsolePage(string html)
    {
        Html = html;
        var scripts = Hashes(InlineScript().Matches(html));
        var styles = Hashes(InlineStyle().Matches(html));
        ContentSecurityPolicy =
            $"default-src 'none'; script-src {Sources(scripts)}; style-src {Sources(styles)}; connect-src 'self'; img-src 'self' data:; " +
            "form-action 'none'; base-uri 'none'; frame-ancestors 'none'";
    }

    public string Html { get; }

    public string ContentSecurityPolicy { get; }

    /// <summary>Loads an embedded HTML page once; a missing resource is a build mistake, reported at first use.</summary>
    public static ConsolePage FromResource(Assembly assembly, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"{resourceName} is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return new ConsolePage(reader.ReadToEnd());
    }

    public static ConsolePage FromHtml(string html) => new(html ?? throw new ArgumentNullException(nameof(html)));

    public ConsolePageResult Result() => new(this);

    private static string[] Hashes(MatchCollection matches) =>
        [.. matches.Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups["body"].Value)))}'")];

    private static string Sources(string[] hashes) => hashes.Length == 0 ? "'none'" : string.Join(' ', hashes);

    [GeneratedRegex("<script>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<style>(?<body>.*?)</style>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex InlineStyle();
}
