namespace Messaging.Shared.Consent;

/// <summary>Where a consent change came from, as recorded in <see cref="ConsentProof.Source"/>.</summary>
public static class ConsentSources
{
    public const string CrmApi = "crm-api";
    public const string OptInPage = "optin-page";
    public const string WhatsAppKeyword = "whatsapp-keyword";
    public const string MetaUserPreferences = "meta-user-preferences";
    public const string Meta131050 = "meta-131050";
    public const string DoubleOptIn = "double-optin";
    public const string ErasureRequest = "erasure-request";
}
