using Messaging.LocalHost.Backups;
using Messaging.LocalHost.Compliance;
using Messaging.LocalHost.Campaigns;
using Messaging.LocalHost.Consent;
using Messaging.LocalHost.Conversations;
using Messaging.LocalHost.Events;
using Messaging.LocalHost.Health;
using Messaging.LocalHost.Hosting;
using Messaging.LocalHost.Operations;
using Messaging.LocalHost.OptIn;
using Messaging.LocalHost.Privacy;
using Messaging.LocalHost.Retention;
using Messaging.LocalHost.Sandbox;
using Messaging.LocalHost.Webhooks;

// Content root = the build output, so settings are found whatever directory ./run or a test starts it from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddLocalHostServices();
builder.AddMetaSandbox();

var app = builder.Build();
if (await RestoreCommand.TryRunAsync(app, args) is { } exitCode)
{
    return exitCode;
}

app.MapOpenApi();
app.MapWebhookEndpoints();
app.MapHealthEndpoints();
app.MapParkedWebhookEndpoints();
app.MapRetentionEndpoints();
app.MapBackupEndpoints();
app.MapComplianceEndpoints();
app.MapOutboxEndpoints();
app.MapConsentEndpoints();
app.MapCampaignEndpoints();
app.MapDataSubjectRequestEndpoints();
app.MapAuditEndpoints();
app.MapConversationEndpoints();
app.MapParkedEventEndpoints();
app.MapSandboxEndpoints();
app.MapOptInPageEndpoints();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the end-to-end tests.</summary>
public partial class Program;
