// Sample environment: production in West Europe, public endpoints, Standard Service Bus.
// Copy, rename and adjust per environment. Secrets never go here: they go into Key Vault (docs/deploy.md).
using 'main.bicep'

param location = 'westeurope'
param baseName = 'wa-prod'
param metaPhoneNumberId = '000000000000000'
param metaGraphApiVersion = 'v24.0'
param consent = {
  businessName: 'Beispiel Bäckerei GmbH'
  businessPhoneNumber: '4930901820'
  privacyNoticeUrl: 'https://www.example.com/datenschutz'
  privacyNoticeVersion: '2026-11'
  consentTextVersion: 'marketing-2026-11'
  marketingConsentTextDe: 'Ja, ich möchte von Beispiel Bäckerei Angebote und Neuigkeiten per WhatsApp erhalten. Ich kann jederzeit mit STOP widersprechen.'
  marketingConsentTextEn: 'Yes, I want to receive offers and news from Beispiel Bäckerei on WhatsApp. I can object at any time by replying STOP.'
  doubleOptInTemplateName: 'marketing_optin_confirmation'
  doubleOptInTemplateLanguage: 'de'
}
param zoneRedundant = true
param serviceBusSku = 'Standard'
param enablePrivateNetworking = false
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
param logRetentionDays = 30
// The console app registration (docs/deploy.md §1a); its secret goes into Key Vault, never here.
param consoleAuthClientId = '00000000-0000-0000-0000-000000000000'
param tags = {
  environment: 'prod'
  owner: 'platform-team'
}
