using Azure;

namespace Messaging.Shared.Retention;

/// <summary>The retention lease as its holder knows it: the ETag proves nobody took it over since.</summary>
public sealed class SweepLease(string sweepId, ETag etag)
{
    public string SweepId { get; } = sweepId;

    public ETag ETag { get; set; } = etag;
}
