// One storage account for the app's tables, queues and blobs and for the Durable Functions task hub.
// Entra ID only (shared keys disabled), TLS 1.2, HTTPS only, no anonymous blob access, blob soft delete
// and versioning. The Flex Consumption deployment package lives in its own container here too.

@description('Azure region (validated by main.bicep).')
param location string

@description('Storage account name (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Standard_ZRS where the region has availability zones (every region main.bicep allows), else Standard_LRS.')
param zoneRedundant bool

@description('Name of the blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Days a deleted blob or container stays recoverable.')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int

@description('Days after which claim-check webhook bodies (personal data) are deleted.')
@minValue(1)
@maxValue(365)
param webhookBodyRetentionDays int

@description('Days table backups are kept (the app\'s Backup:Retention); lifecycle management deletes them after, versions included.')
@minValue(1)
@maxValue(365)
param backupRetentionDays int = 30

@description('Days backups of the per-contact keys are kept (the app\'s Backup:KeyRetention): erasure reaches every table backup within this plus blob soft delete.')
@minValue(1)
@maxValue(30)
param keyBackupRetentionDays int = 7

@description('Log Analytics workspace that receives the diagnostic logs and metrics.')
param workspaceId string

@description('When true, the account is reachable only through its private endpoints.')
param privateNetworking bool

param tags object

// The app's own tables, queues and containers: the names in src/Shared/Storage/StorageNames.cs (LocalHost creates
// the same ones on Azurite). tests/Messaging.Infra.Tests fails when the two lists differ.
var webhookBodiesContainerName = 'webhook-bodies'
var appTableNames = [
  'Contacts'
  'ContactAliases'
  'ContactKeys'
  'Messages'
  'Inbox'
  'ParkedWebhooks'
  'UnhandledEvents'
  'Consent'
  'Workflows'
  'Outbox'
  'OptInTokens'
  'RetentionSweeps'
  'Suppression'
  'Audit'
  'Campaigns'
  'CampaignRecipients'
  'Templates'
  'DataSubjectRequests'
  'EventOutbox'
  'ParkedEvents'
  'Conversations'
  'ConversationIndex'
  'WebhookCopies'
]
// Per-contact tables spread over contactShardCount tables by contact key (ContactShards in src/Shared/Storage):
// Messages00..Messages31, next to the base table above, which keeps the rows of releases before the sharding. Neutral in
// Azure (a partition scales on its own in any table); on Azurite every request costs in proportion to its table's rows.
// StorageNames.ContactShardedTables holds the same names: adding one here and there shards another table.
var contactShardCount = 32
var contactShardedTableNames = [
  'Messages'
]
var backupsContainerName = 'backups'
var keyBackupsContainerName = 'key-backups'
// All private (publicAccess None below); the account keeps blob versions, so a backup overwritten or deleted before its
// time is recoverable as a version until lifecycle management removes it.
var appContainerNames = [
  webhookBodiesContainerName
  'data-subject-exports'
  backupsContainerName
  keyBackupsContainerName
]
// Only the queues the Functions host keeps in Azure Storage: the inbound webhooks travel on Service Bus instead
// (servicebus.bicep). The Durable task hub creates its own queues, tables and blobs.
var appQueueNames = [
  'workflow-events'
  'retention-sweeps'
  'events-out'
  'backups'
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: zoneRedundant ? 'Standard_ZRS' : 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: { enabled: true, keyType: 'Account' }
        file: { enabled: true, keyType: 'Account' }
        queue: { enabled: true, keyType: 'Account' }
        table: { enabled: true, keyType: 'Account' }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: softDeleteRetentionDays }
    containerDeleteRetentionPolicy: { enabled: true, days: softDeleteRetentionDays }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource appContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for containerName in appContainerNames: {
  parent: blobService
  name: containerName
  properties: { publicAccess: 'None' }
}]

// The table backups are write-once for their retention (a time-based retention policy, container-level WORM): nothing,
// the app's own identity included, can overwrite or delete a backup before Backup:Retention ends; lifecycle management
// deletes it after (expire-backups). The app writes each backup blob once and never rewrites it. The keys' backups are
// kept apart and are NOT immutable: erasure must be able to reach them, and they expire after Backup:KeyRetention.
// The policy is deployed unlocked (ARM cannot lock it); lock it once in production (az storage container
// immutability-policy lock) when the period is final, since a locked period can only be extended.
resource backupsImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  name: '${account.name}/default/${backupsContainerName}/default'
  dependsOn: [ appContainers ]
  properties: {
    immutabilityPeriodSinceCreationInDays: backupRetentionDays
    allowProtectedAppendWrites: false
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {}
}

resource appQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queueName in appQueueNames: {
  parent: queueService
  name: queueName
  properties: {}
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {}
}

resource appTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for tableName in appTableNames: {
  parent: tableService
  name: tableName
  properties: {}
}]

resource contactShardTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for i in range(0, length(contactShardedTableNames) * contactShardCount): {
  parent: tableService
  name: '${contactShardedTableNames[i / contactShardCount]}${padLeft(i % contactShardCount, 2, '0')}'
  properties: {}
}]

// Storage limitation: claim-check bodies and old blob versions do not live forever.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-webhook-bodies'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: [ 'blockBlob' ], prefixMatch: [ '${webhookBodiesContainerName}/' ] }
            actions: {
              baseBlob: { delete: { daysAfterModificationGreaterThan: webhookBodyRetentionDays } }
              version: { delete: { daysAfterCreationGreaterThan: 1 } }
            }
          }
        }
        {
          name: 'expire-backups'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: [ 'blockBlob' ], prefixMatch: [ '${backupsContainerName}/' ] }
            actions: {
              baseBlob: { delete: { daysAfterCreationGreaterThan: backupRetentionDays } }
              version: { delete: { daysAfterCreationGreaterThan: backupRetentionDays } }
            }
          }
        }
        {
          // Keys must not outlive their period in any form: old versions go with the base blob.
          name: 'expire-key-backups'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: [ 'blockBlob' ], prefixMatch: [ '${keyBackupsContainerName}/' ] }
            actions: {
              baseBlob: { delete: { daysAfterCreationGreaterThan: keyBackupRetentionDays } }
              version: { delete: { daysAfterCreationGreaterThan: 1 } }
            }
          }
        }
        {
          name: 'expire-old-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: [ 'blockBlob' ] }
            actions: {
              version: { delete: { daysAfterCreationGreaterThan: 30 } }
            }
          }
        }
      ]
    }
  }
}

resource accountDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: account
  properties: {
    workspaceId: workspaceId
    metrics: [ { category: 'Transaction', enabled: true } ]
  }
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: blobService
  properties: {
    workspaceId: workspaceId
    logs: [ { categoryGroup: 'allLogs', enabled: true } ]
    metrics: [ { category: 'Transaction', enabled: true } ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: queueService
  properties: {
    workspaceId: workspaceId
    logs: [ { categoryGroup: 'allLogs', enabled: true } ]
    metrics: [ { category: 'Transaction', enabled: true } ]
  }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: tableService
  properties: {
    workspaceId: workspaceId
    logs: [ { categoryGroup: 'allLogs', enabled: true } ]
    metrics: [ { category: 'Transaction', enabled: true } ]
  }
}

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output deploymentContainerName string = deploymentContainer.name
output webhookBodiesContainerName string = webhookBodiesContainerName
