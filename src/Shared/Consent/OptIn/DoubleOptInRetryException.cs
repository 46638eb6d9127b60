namespace Messaging.Shared.Consent.OptIn;

/// <summary>A command could not finish for a reason that passes (throttling, Meta unavailable); run it again later.</summary>
public sealed class DoubleOptInRetryException : Exception
{
    public DoubleOptInRetryException()
    {
    }

    public DoubleOptInRetryException(string message)
        : base(message)
    {
    }

    public DoubleOptInRetryException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
