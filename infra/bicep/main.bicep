// Everything the Functions host of the GDPR-first WhatsApp Business backend needs, in the customer's own
// EU subscription. Resource-group scoped; deploy with docs/deploy.md. No registry modules: all local.
targetScope = 'resourceGroup'

// EU residency, first line: the template refuses any region outside this list. These are EU member-state
// regions where Flex Consumption is offered (no UK, Norway or Switzerland). Keep in sync with euRegions.
@description('Azure region for every resource. EU member-state regions only.')
@allowed([
  'westeurope'
  'northeurope'
  'swedencentral'
  'germanywestcentral'
  'francecentral'
  'italynorth'
  'spaincentral'
])
param location string

@description('Short name for this environment, e.g. "wa-prod" (lowercase letters, digits, hyphens).')
@minLength(3)
@maxLength(12)
param baseName string

@description('Zone-redundant storage (Standard_ZRS). Every region in the allowed list has availability zones.')
param zoneRedundant bool = true

@description('Service Bus tier. Private networking forces Premium (Standard has no private endpoints).')
@allowed([ 'Standard', 'Premium' ])
param serviceBusSku string = 'Standard'

@description('VNet integration for the Function App and private endpoints for storage, Service Bus and Key Vault.')
param enablePrivateNetworking bool = false

@description('Address space for the VNet when private networking is on (a /16 to /23).')
param vnetAddressPrefix string = '10.40.0.0/16'

@description('WhatsApp Business phone number id (from Meta\'s app dashboard; not a secret).')
param metaPhoneNumberId string

@description('Graph API version for Cloud API calls.')
param metaGraphApiVersion string = 'v24.0'

@description('What the business tells people when it asks for consent (Art. 13 GDPR), read by the app as Consent__* and DoubleOptIn__*: businessName, businessPhoneNumber (digits with country code), privacyNoticeUrl, privacyNoticeVersion, consentTextVersion, marketingConsentTextDe, marketingConsentTextEn, doubleOptInTemplateName, doubleOptInTemplateLanguage. Not secret; see main.sample.bicepparam.')
param consent object

@description('Durable Functions task hub name (letters and digits, starts with a letter, at most 50). Unique per app when apps share a storage account.')
@minLength(3)
@maxLength(50)
param taskHubName string = 'MessagingHub'

@description('Maximum Flex Consumption instances (caps cost under load).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per Flex Consumption instance in MB.')
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int = 2048

@description('Log Analytics and Application Insights retention in days.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Days a deleted blob or container stays recoverable (soft delete).')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int = 7

@description('Days after which claim-check webhook bodies are deleted by lifecycle management.')
@minValue(1)
@maxValue(365)
param webhookBodyRetentionDays int = 30

@description('Days table backups are kept (the app\'s Backup:Retention): the backups container is immutable for this long, then lifecycle management deletes them.')
@minValue(1)
@maxValue(365)
param backupRetentionDays int = 30

@description('Days the separate backups of the per-contact keys are kept (the app\'s Backup:KeyRetention): erasure reaches every table backup within this.')
@minValue(1)
@maxValue(30)
param keyBackupRetentionDays int = 7

@description('Tags for every resource.')
param tags object = {}

@description('Client (application) id of the Microsoft Entra ID app registration that signs staff into the consoles (/console/campaigns, /console/inbox) through App Service Authentication. Its client secret goes into Key Vault as console-auth-client-secret (docs/deploy.md §2).')
@minLength(36)
@maxLength(36)
param consoleAuthClientId string

@description('Entra ID tenant of that app registration; the deploying tenant by default.')
param consoleAuthTenantId string = tenant().tenantId

// EU residency, second line: Azure Policy denies any resource outside these regions in this resource
// group, whoever deploys it and however. Same list as the location parameter's @allowed.
var euRegions = [
  'westeurope'
  'northeurope'
  'swedencentral'
  'germanywestcentral'
  'francecentral'
  'italynorth'
  'spaincentral'
]
// Built-in "Allowed locations" (effect: deny; it exempts resources whose location is 'global').
var allowedLocationsPolicyDefinitionId = 'e56962a6-4747-49cd-b67b-bf8b01975c4c'

var token = take(uniqueString(subscription().id, resourceGroup().id, baseName), 6)
var compactName = toLower(replace(baseName, '-', ''))
var allTags = union(tags, { workload: 'whatsapp-messaging', 'data-residency': 'eu' })

var names = {
  identity: 'id-${baseName}'
  workspace: 'log-${baseName}'
  appInsights: 'appi-${baseName}'
  storage: 'st${take(compactName, 12)}${token}'
  deploymentContainer: 'app-package-${token}'
  serviceBus: 'sb-${baseName}-${token}'
  vault: 'kv-${take(baseName, 12)}-${token}'
  plan: 'plan-${baseName}'
  functionApp: 'func-${baseName}-${token}'
  vnet: 'vnet-${baseName}'
}

resource allowedLocations 'Microsoft.Authorization/policyAssignments@2024-04-01' = {
  name: 'eu-allowed-locations'
  properties: {
    displayName: 'Allowed locations: EU regions only'
    description: 'Personal data of the WhatsApp backend must stay in the EU. Denies resources outside the EU regions.'
    policyDefinitionId: tenantResourceId('Microsoft.Authorization/policyDefinitions', allowedLocationsPolicyDefinitionId)
    enforcementMode: 'Default'
    parameters: {
      listOfAllowedLocations: { value: euRegions }
    }
    nonComplianceMessages: [
      { message: 'Resources of the WhatsApp messaging backend must be deployed in an EU region.' }
    ]
  }
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.identity
  location: location
  tags: allTags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    retentionInDays: logRetentionDays
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: names.storage
    zoneRedundant: zoneRedundant
    deploymentContainerName: names.deploymentContainer
    softDeleteRetentionDays: blobSoftDeleteDays
    webhookBodyRetentionDays: webhookBodyRetentionDays
    backupRetentionDays: backupRetentionDays
    keyBackupRetentionDays: keyBackupRetentionDays
    workspaceId: monitoring.outputs.workspaceId
    privateNetworking: enablePrivateNetworking
    tags: allTags
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    name: names.serviceBus
    sku: enablePrivateNetworking ? 'Premium' : serviceBusSku
    workspaceId: monitoring.outputs.workspaceId
    privateNetworking: enablePrivateNetworking
    tags: allTags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    name: names.vault
    workspaceId: monitoring.outputs.workspaceId
    privateNetworking: enablePrivateNetworking
    tags: allTags
  }
}

module network 'modules/network.bicep' = if (enablePrivateNetworking) {
  name: 'network'
  params: {
    location: location
    vnetName: names.vnet
    addressPrefix: vnetAddressPrefix
    storageAccountId: storage.outputs.id
    serviceBusId: serviceBus.outputs.id
    vaultId: keyVault.outputs.id
    workspaceId: monitoring.outputs.workspaceId
    tags: allTags
  }
}

module roleAssignments 'modules/roleAssignments.bicep' = {
  name: 'role-assignments'
  // Names are passed (not module outputs) so What-If can predict the assignments; hence explicit ordering.
  dependsOn: [ storage, serviceBus, keyVault, monitoring ]
  params: {
    identityName: identity.name
    storageAccountName: names.storage
    serviceBusNamespaceName: names.serviceBus
    vaultName: names.vault
    appInsightsName: names.appInsights
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  // The identity must hold its data roles before the host first reads its deployment package and secrets.
  dependsOn: [ roleAssignments ]
  params: {
    location: location
    name: names.functionApp
    planName: names.plan
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    vaultUri: keyVault.outputs.vaultUri
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    appInsightsName: names.appInsights
    taskHubName: taskHubName
    metaPhoneNumberId: metaPhoneNumberId
    metaGraphApiVersion: metaGraphApiVersion
    consent: consent
    backupRetentionDays: backupRetentionDays
    keyBackupRetentionDays: keyBackupRetentionDays
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    subnetId: enablePrivateNetworking ? network!.outputs.appSubnetId : ''
    workspaceId: monitoring.outputs.workspaceId
    consoleAuthClientId: consoleAuthClientId
    consoleAuthTenantId: consoleAuthTenantId
    tags: allTags
  }
}

// What a deployment script needs. Nothing secret: names, host names, URIs and public identifiers only.
output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
// The redirect URI to register on the console app registration (Web platform).
output consoleAuthRedirectUri string = 'https://${functionApp.outputs.defaultHostName}/.auth/login/aad/callback'
output webhookUrl string = 'https://${functionApp.outputs.defaultHostName}/api/whatsapp/webhook'
output vaultName string = keyVault.outputs.name
output vaultUri string = keyVault.outputs.vaultUri
output storageAccountName string = storage.outputs.name
output webhookBodiesContainerName string = storage.outputs.webhookBodiesContainerName
output serviceBusNamespaceName string = serviceBus.outputs.name
output serviceBusFullyQualifiedNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output inboundQueueName string = serviceBus.outputs.inboundQueueName
output outboundQueueName string = serviceBus.outputs.outboundQueueName
output campaignSendsQueueName string = serviceBus.outputs.campaignSendsQueueName
output managedIdentityClientId string = identity.properties.clientId
output managedIdentityPrincipalId string = identity.properties.principalId
output appInsightsName string = monitoring.outputs.appInsightsName
output taskHubName string = taskHubName
output policyAssignmentId string = allowedLocations.id
