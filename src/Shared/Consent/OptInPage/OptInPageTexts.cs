namespace Messaging.Shared.Consent.OptInPage;

/// <summary>
/// The fixed wording of the sign-up page in its two languages. The consent sentence itself is not here: it comes
/// from <see cref="ConsentOptions"/>, versioned, because it is what the proof refers to. "{0}" is the business name
/// unless said otherwise.
/// </summary>
public sealed record OptInPageTexts(
    string Language,
    string Heading,
    string Intro,
    string HowItWorks,
    string Anonymous,
    string Withdraw,
    string PrivacyBefore,
    string PrivacyLink,
    string PrivacyAfter,
    string Submit,
    string ConsentMissing,
    string OtherLanguage,
    string OtherLanguageName,
    string ResultHeading,
    string ResultStep,
    string OpenWhatsApp,
    string CodeLabel,
    string Fallback,
    string Confirm,
    string ValidityHours,
    string ValidityMinutes,
    string Prefill)
{
    public static OptInPageTexts De { get; } = new(
        Language: "de",
        Heading: "{0}: Angebote und Neuigkeiten per WhatsApp",
        Intro: "Melden Sie sich hier an, wenn {0} Ihnen Angebote und Neuigkeiten per WhatsApp schicken soll.",
        HowItWorks: "Nach dem Absenden öffnen Sie WhatsApp mit einer vorbereiteten Nachricht und schicken sie uns. Danach bitten wir Sie in WhatsApp, Ihre Anmeldung zu bestätigen. Erst dann schreiben wir Ihnen.",
        Anonymous: "Auf dieser Seite geben Sie keine Daten ein. Ihre Telefonnummer erfahren wir erst, wenn Sie uns in WhatsApp schreiben.",
        Withdraw: "Sie können Ihre Einwilligung jederzeit widerrufen und der Werbung widersprechen: Antworten Sie einfach STOP.",
        PrivacyBefore: "Wie wir Ihre Daten verarbeiten, erklären unsere ",
        PrivacyLink: "Datenschutzhinweise",
        PrivacyAfter: ".",
        Submit: "Weiter",
        ConsentMissing: "Bitte setzen Sie das Häkchen, um sich anzumelden. Ohne Ihre Einwilligung schicken wir Ihnen nichts.",
        OtherLanguage: "en",
        OtherLanguageName: "English",
        ResultHeading: "Fast geschafft",
        ResultStep: "Öffnen Sie WhatsApp und senden Sie die vorbereitete Nachricht ab.",
        OpenWhatsApp: "WhatsApp öffnen",
        CodeLabel: "Ihr Code:",
        Fallback: "Falls sich WhatsApp nicht öffnet, schreiben Sie diesen Code an {0}.",
        Confirm: "Danach bitten wir Sie in WhatsApp, Ihre Anmeldung zu bestätigen (Double-Opt-In). Ohne Ihre Bestätigung erhalten Sie keine Werbung.",
        ValidityHours: "Der Code gilt {0} Stunden und nur einmal.",
        ValidityMinutes: "Der Code gilt {0} Minuten und nur einmal.",
        Prefill: "Anmeldung: {0}");

    public static OptInPageTexts En { get; } = new(
        Language: "en",
        Heading: "{0}: offers and news on WhatsApp",
        Intro: "Sign up here if you want {0} to send you offers and news on WhatsApp.",
        HowItWorks: "After you continue, you open WhatsApp with a prepared message and send it to us. We then ask you in WhatsApp to confirm your sign-up. Only after that do we message you.",
        Anonymous: "You enter no data on this page. We learn your phone number only when you write to us on WhatsApp.",
        Withdraw: "You can withdraw your consent and object to marketing at any time: just reply STOP.",
        PrivacyBefore: "How we process your data is explained in our ",
        PrivacyLink: "privacy notice",
        PrivacyAfter: ".",
        Submit: "Continue",
        ConsentMissing: "Please tick the box to sign up. Without your consent we send you nothing.",
        OtherLanguage: "de",
        OtherLanguageName: "Deutsch",
        ResultHeading: "Almost done",
        ResultStep: "Open WhatsApp and send the prepared message.",
        OpenWhatsApp: "Open WhatsApp",
        CodeLabel: "Your code:",
        Fallback: "If WhatsApp does not open, send this code to {0}.",
        Confirm: "We will then ask you in WhatsApp to confirm your sign-up (double opt-in). Without your confirmation you receive no marketing.",
        ValidityHours: "The code is valid for {0} hours and can be used once.",
        ValidityMinutes: "The code is valid for {0} minutes and can be used once.",
        Prefill: "Sign-up: {0}");

    public static OptInPageTexts For(string language) => language == "en" ? En : De;
}
