// Sample environment: production in West Europe, public endpoints, Standard Service Bus.
// Copy, rename and adjust per environment. Secrets never go here: they go into Key Vault (docs/deploy.md).
using 'main.bicep'

param location = 'westeurope'
param baseName = 'wa-prod'
param metaPhoneNumberId = '000000000000000'
param metaGraphApiVersion = 'v24.0'
param zoneRedundant = true
param serviceBusSku = 'Standard'
param enablePrivateNetworking = false
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
param logRetentionDays = 30
param tags = {
  environment: 'prod'
  owner: 'platform-team'
}
