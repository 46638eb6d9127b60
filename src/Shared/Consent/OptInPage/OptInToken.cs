namespace Messaging.Shared.Consent.OptInPage;

/// <summary>A freshly issued one-time code, to be shown once to the visitor and never stored in clear.</summary>
/// <param name="Code">What the visitor sends us in WhatsApp, e.g. <c>OPTIN-7KQ4-M2XD</c>.</param>
/// <param name="TokenId">Keyed hash of the code: the row key and the evidence reference.</param>
/// <param name="Language">"de" or "en": the language the consent wording was shown in.</param>
public sealed record OptInToken(string Code, string TokenId, string Language, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
