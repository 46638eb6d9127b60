// Service Bus namespace (Standard or Premium: Basic has no sessions and no duplicate detection) with the
// queues the Functions host uses. Entra ID only (local/SAS auth disabled). Sessions and duplicate
// detection are fixed at queue creation, so changing them means a new queue.

@description('Azure region (validated by main.bicep).')
param location string

@description('Namespace name (6-50 characters, globally unique).')
@minLength(6)
@maxLength(50)
param name string

@description('Standard, or Premium (required for private endpoints).')
@allowed([ 'Standard', 'Premium' ])
param sku string

@description('Log Analytics workspace that receives the diagnostic logs and metrics.')
param workspaceId string

@description('When true, the namespace is reachable only through its private endpoint (Premium only).')
param privateNetworking bool

param tags object

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku
    capacity: sku == 'Premium' ? 1 : null
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    premiumMessagingPartitions: sku == 'Premium' ? 1 : null
  }
}

// Inbound webhooks. SessionId = routing key per contact (phone number / user id) so one contact's events
// are processed in order; MessageId = SHA-256 of the body, de-duplicated within the window.
resource inboundQueue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: 'webhooks-inbound'
  properties: {
    requiresSession: true
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    lockDuration: 'PT1M'
    defaultMessageTimeToLive: 'P7D'
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: 10
    enableBatchedOperations: true
  }
}

// Outbound sends. Sessions keyed by contact keep per-contact order and pair rate; MessageId = the
// deterministic send id, so a retried command never sends twice within the window.
resource outboundQueue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: 'outbound-messages'
  properties: {
    requiresSession: true
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    lockDuration: 'PT1M'
    defaultMessageTimeToLive: 'P1D'
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: 10
    enableBatchedOperations: true
  }
}

// Campaign sends. One session per business number: SessionId = the WhatsApp phone number id, so exactly one
// consumer at a time, on whichever instance, sends a number's campaign messages, and its throughput limiter is
// Meta's pace for the number (Flex Consumption's instances would otherwise each send at the full rate).
// MessageId = a hash of campaign, recipient, generation and round: a page enqueued twice after a crash is dropped.
resource campaignSendsQueue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: 'campaign-sends'
  properties: {
    requiresSession: true
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    lockDuration: 'PT1M'
    defaultMessageTimeToLive: 'P1D'
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: 10
    enableBatchedOperations: true
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-workspace'
  scope: namespace
  properties: {
    workspaceId: workspaceId
    logs: [ { categoryGroup: 'allLogs', enabled: true } ]
    metrics: [ { category: 'AllMetrics', enabled: true } ]
  }
}

output name string = namespace.name
output id string = namespace.id
// e.g. https://sb-x.servicebus.windows.net:443/ -> sb-x.servicebus.windows.net (no hard-coded cloud suffix)
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '//')[1], ':')[0]
output inboundQueueName string = inboundQueue.name
output outboundQueueName string = outboundQueue.name
output campaignSendsQueueName string = campaignSendsQueue.name
