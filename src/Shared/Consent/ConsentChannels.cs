namespace Messaging.Shared.Consent;

/// <summary>The medium a consent change was expressed through, as recorded in <see cref="ConsentProof.Channel"/>.</summary>
public static class ConsentChannels
{
    public const string WhatsApp = "whatsapp";
    public const string Web = "web";
}
