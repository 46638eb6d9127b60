using Messaging.Shared.Campaigns.Templates;

namespace Messaging.Shared.LocalHostOnly.Sandbox;

/// <summary>
/// The templates the sandbox's Graph answers with: marketing and utility, German and English, with body parameters,
/// one marketing template carrying Meta's marketing opt-out button and one without any way to object (refused for campaigns).
/// </summary>
public static class SandboxTemplates
{
    private static MessageTemplateComponent Body(string text) => new("BODY", Text: text);

    private static MessageTemplateComponent Footer(string text) => new("FOOTER", Text: text);

    public static IReadOnlyList<MessageTemplate> All { get; } =
    [
        new("winter_sale", "de", "MARKETING", "APPROVED",
            [new("HEADER", Format: "TEXT", Text: "Winterschlussverkauf"), Body("Hallo {{1}}, nur bis Sonntag: {{2}} % auf alles im Laden."), Footer("Keine Angebote mehr? Antworte STOP.")]),
        new("winter_sale", "en", "MARKETING", "APPROVED",
            [new("HEADER", Format: "TEXT", Text: "Winter sale"), Body("Hi {{1}}, until Sunday only: {{2}} % off everything."), Footer("Reply STOP to unsubscribe.")]),
        new("new_collection", "de", "MARKETING", "APPROVED",
            [Body("Unsere neue Kollektion ist da: Mäntel, Schals und Mützen."), new("BUTTONS", Buttons: [new("URL", "Ansehen"), new("QUICK_REPLY", "Stop promotions")])]),
        new("flash_deal", "de", "MARKETING", "APPROVED", [Body("Heute: Brezeln zum halben Preis!")]),
        new("spring_teaser", "en", "MARKETING", "PAUSED", [Body("Hi {{1}}, spring is coming. Reply STOP to opt out.")]),
        new("order_shipped", "de", "UTILITY", "APPROVED", [Body("Hallo {{1}}, deine Bestellung {{2}} ist unterwegs.")]),
        new("order_shipped", "en", "UTILITY", "APPROVED", [Body("Hi {{1}}, your order {{2}} has shipped.")]),
        new("appointment_reminder", "en", "UTILITY", "PENDING", [Body("Reminder: your appointment on {{1}} at {{2}}.")]),
    ];
}
