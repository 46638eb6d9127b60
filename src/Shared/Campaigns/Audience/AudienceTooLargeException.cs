namespace Messaging.Shared.Campaigns.Audience;

/// <summary>An uploaded audience is larger than <c>Campaigns:MaxAudienceCsvBytes</c> or <c>Campaigns:MaxAudienceRows</c>.</summary>
public sealed class AudienceTooLargeException : Exception
{
    public AudienceTooLargeException()
    {
    }

    public AudienceTooLargeException(string message)
        : base(message)
    {
    }

    public AudienceTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AudienceTooLargeException(long limitBytes)
        : base($"The upload exceeds {limitBytes} bytes.") => LimitBytes = limitBytes;

    public long? LimitBytes { get; }
}
