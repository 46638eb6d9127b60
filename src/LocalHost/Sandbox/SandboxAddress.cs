namespace Messaging.LocalHost.Sandbox;

/// <summary>Works out the address the app calls itself on, before Kestrel has bound anything.</summary>
public static class SandboxAddress
{
    private const string KestrelDefault = "http://localhost:5000";

    /// <summary>
    /// <paramref name="configuredBaseUrl"/> wins; otherwise the first http entry of <paramref name="urls"/>
    /// (ASPNETCORE_URLS, ';'-separated), with wildcard hosts replaced by loopback. Port 0 cannot be called back,
    /// so it is refused with a hint rather than failing later with a confusing connection error.
    /// </summary>
    public static Uri Resolve(string? configuredBaseUrl, string? urls)
    {
        if (!string.IsNullOrWhiteSpace(configuredBaseUrl))
        {
            return Uri.TryCreate(configuredBaseUrl.Trim(), UriKind.Absolute, out var configured) && configured.Scheme is "http" or "https"
                ? Normalize(configured)
                : throw new InvalidOperationException("Sandbox:BaseUrl must be an absolute http(s) URL.");
        }

        var candidates = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var chosen = candidates.FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? candidates.FirstOrDefault()
            ?? KestrelDefault;

        // Kestrel accepts hosts that Uri does not parse (http://*:80, http://+:80); call those on loopback.
        var wildcard = chosen.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal);
        if (!Uri.TryCreate(wildcard, UriKind.Absolute, out var uri))
        {
            throw new InvalidOperationException("Cannot derive the sandbox address from ASPNETCORE_URLS; set Sandbox:BaseUrl.");
        }

        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri = new UriBuilder(uri) { Host = uri.Host == "0.0.0.0" ? "127.0.0.1" : "[::1]" }.Uri;
        }

        if (uri.Port == 0)
        {
            throw new InvalidOperationException("ASPNETCORE_URLS uses port 0, which the sandbox cannot call back; set Sandbox:BaseUrl.");
        }

        return Normalize(uri);
    }

    private static Uri Normalize(Uri uri) => new(uri.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath.TrimEnd('/'));
}
