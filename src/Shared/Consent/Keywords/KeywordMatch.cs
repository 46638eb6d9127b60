namespace Messaging.Shared.Consent.Keywords;

/// <summary>What an inbound message asks for, if it is exactly one of the configured keywords.</summary>
public enum KeywordMatch
{
    None = 0,
    Stop = 1,
    Start = 2,
}
