namespace Messaging.Shared.Webhooks;

/// <summary>
/// Reads a request body up to a hard limit. Meta sends up to 3 MB; anything above 4 MiB is refused as soon as
/// the declared length or the bytes read so far exceed it, without reading the rest.
/// </summary>
public static class WebhookBodyReader
{
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <returns>The body, or null when it is larger than <see cref="MaxBodyBytes"/>.</returns>
    public static async Task<byte[]?> ReadAsync(Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (contentLength > MaxBodyBytes)
        {
            return null;
        }

        if (contentLength is { } known)
        {
            var buffer = new byte[known];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await body.ReadAsync(buffer.AsMemory(read), cancellationToken);
                if (n == 0)
                {
                    throw new EndOfStreamException("The request body ended before its declared length.");
                }

                read += n;
            }

            return buffer;
        }

        using var copy = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var n = await body.ReadAsync(chunk, cancellationToken);
            if (n == 0)
            {
                return copy.ToArray();
            }

            if (copy.Length + n > MaxBodyBytes)
            {
                return null;
            }

            copy.Write(chunk, 0, n);
        }
    }
}
