// Flex Consumption plan and the Function App (Linux, dotnet-isolated 10.0). The app runs as a
// user-assigned managed identity; every connection is identity-based and every secret is a Key Vault
// reference resolved with that identity. No key or connection string with a key appears anywhere.

@description('Azure region (validated by main.bicep).')
param location string

@description('Function App name (globally unique; becomes <name>.azurewebsites.net).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that identity (used by the identity-based connections).')
param identityClientId string

@description('Name of the app\'s storage account (host storage, Durable task hub and the app\'s own data).')
param storageAccountName string

@description('Blob, queue and table endpoints of the app\'s storage account (with trailing slash).')
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Key Vault URI, e.g. https://kv-x.vault.azure.net/')
param vaultUri string

@description('Service Bus namespace host name, e.g. sb-x.servicebus.windows.net')
param serviceBusFullyQualifiedNamespace string

@description('Application Insights component in this resource group.')
param appInsightsName string

@description('Durable Functions task hub name (letters and digits, starts with a letter).')
param taskHubName string

@description('WhatsApp Business phone number id (not a secret).')
param metaPhoneNumberId string

@description('Graph API version used for Cloud API calls.')
param metaGraphApiVersion string

@description('Consent wording, privacy notice and double opt-in template (see main.bicep consentSettings).')
param consent object

@description('Backup:Retention in days; the same number sets the backups container\'s immutability and lifecycle deletion (storage.bicep).')
param backupRetentionDays int

@description('Backup:KeyRetention in days; the same number expires the key backups (storage.bicep).')
param keyBackupRetentionDays int

@description('Upper bound for Flex scale-out (caps cost).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per instance in MB.')
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int

@description('Subnet for outbound VNet integration (delegated to Microsoft.App/environments); empty for none.')
param subnetId string

@description('Log Analytics workspace that receives the diagnostic logs and metrics.')
param workspaceId string

@description('Client id of the Entra ID app registration for the consoles (App Service Authentication).')
param consoleAuthClientId string

@description('Entra ID tenant of that app registration.')
param consoleAuthTenantId string

param tags object

// What App Service Authentication leaves to the app itself. Everything else (the consoles under /console/*, and
// any path nobody listed) requires an Entra ID sign-in first. /api/* keeps its own guard: the function key, or
// Meta's signature on the anonymous webhook; /optin is the public sign-up page. Kept equal to
// Messaging.Shared.Http.ConsoleRoutes.OutsideSignIn (tests hold the compiled template and the routes to it).
var pathsOutsideSignIn = [
  '/api/*'
  '/optin'
]

// The app setting that holds the console registration's client secret (a Key Vault reference below).
var consoleAuthSecretSetting = 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled' // Meta must reach the webhook
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // Host storage and the Durable task hub (host.json: durableTask.storageProvider.connectionName), identity-based with
    // the user-assigned identity, which holds Storage Blob Data Owner, Queue and Table Data Contributor on the account.
    // The service URIs come from the account itself (no hard-coded cloud suffix); Durable needs all three. The task hub
    // creates its own tables, queues and lease containers on first start, named after TASKHUB_NAME (host.json hubName).
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: blobEndpoint
    AzureWebJobsStorage__queueServiceUri: queueEndpoint
    AzureWebJobsStorage__tableServiceUri: tableEndpoint
    TASKHUB_NAME: taskHubName
    // The app's own data.
    Storage__TableServiceUri: tableEndpoint
    Storage__QueueServiceUri: queueEndpoint
    Storage__BlobServiceUri: blobEndpoint
    // Service Bus (identity-based).
    ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
    ServiceBusConnection__credential: 'managedidentity'
    ServiceBusConnection__clientId: identityClientId
    // Telemetry: Entra ID-authenticated ingestion (local auth is disabled on the component).
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    AZURE_CLIENT_ID: identityClientId
    // WhatsApp Cloud API, non-secret.
    Meta__PhoneNumberId: metaPhoneNumberId
    Meta__GraphApiVersion: metaGraphApiVersion
    // What the business tells people when it asks for consent; every proof record references these versions.
    Consent__BusinessName: consent.businessName
    Consent__BusinessPhoneNumber: consent.businessPhoneNumber
    Consent__PrivacyNoticeUrl: consent.privacyNoticeUrl
    Consent__PrivacyNoticeVersion: consent.privacyNoticeVersion
    Consent__ConsentTextVersion: consent.consentTextVersion
    Consent__MarketingConsentTextDe: consent.marketingConsentTextDe
    Consent__MarketingConsentTextEn: consent.marketingConsentTextEn
    DoubleOptIn__TemplateName: consent.doubleOptInTemplateName
    DoubleOptIn__TemplateLanguage: consent.doubleOptInTemplateLanguage
    // The daily retention sweep's timer (NCRONTAB, UTC); periods keep their documented defaults unless set here.
    Retention__Schedule: '0 30 2 * * *'
    // The daily backup's timer, after the sweep; its periods come from the same parameters as the storage policies.
    Backup__Schedule: '0 0 3 * * *'
    Backup__Retention: 'P${backupRetentionDays}D'
    Backup__KeyRetention: 'P${keyBackupRetentionDays}D'
    // Secrets: Key Vault references resolved with keyVaultReferenceIdentity. Values never live here.
    Meta__AppSecret: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/meta-app-secret/)'
    Meta__VerifyToken: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/meta-verify-token/)'
    Meta__AccessToken: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/meta-access-token/)'
    Security__Pepper: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/security-pepper/)'
    Security__MasterKey: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/security-master-key/)'
    MICROSOFT_PROVIDER_AUTHENTICATION_SECRET: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/console-auth-client-secret/)'
  }
}

// App Service Authentication ("Easy Auth") with Microsoft Entra ID in front of the consoles. The pages hold no data
// themselves (their API calls carry the function key), but nobody outside the tenant should even load them. No token
// store: the consoles never call Graph on the user's behalf, so no user token is kept server-side; the session
// cookie is the only cookie, HTTPS only, for a working day.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  dependsOn: [ appSettings ]
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: pathsOutsideSignIn
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${consoleAuthTenantId}/v2.0'
          clientId: consoleAuthClientId
          clientSecretSettingName: consoleAuthSecretSetting
        }
        validation: {
          allowedAudiences: [
            'api://${consoleAuthClientId}'
            consoleAuthClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
      cookieExpiration: {
        convention: 'FixedTime'
        timeToExpiration: '08:00:00'
      }
      nonce: {
        validateNonce: true
      }
      preserveUrlFragmentsForLogins: false
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: {
        convention: 'NoProxy'
      }
    }
  }
}

// Publishing with user/password (FTP, SCM basic auth) is off; deployments use Entra ID.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

resource siteDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: site
  properties: {
    workspaceId: workspaceId
    logs: [ { categoryGroup: 'allLogs', enabled: true } ]
    metrics: [ { category: 'AllMetrics', enabled: true } ]
  }
}

resource planDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: plan
  properties: {
    workspaceId: workspaceId
    metrics: [ { category: 'AllMetrics', enabled: true } ]
  }
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
