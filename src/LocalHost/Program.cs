using Messaging.LocalHost.Consent;
using Messaging.LocalHost.Health;
using Messaging.LocalHost.Hosting;
using Messaging.LocalHost.Operations;
using Messaging.LocalHost.OptIn;
using Messaging.LocalHost.Retention;
using Messaging.LocalHost.Sandbox;
using Messaging.LocalHost.Webhooks;

// Content root = the build output, so settings are found whatever directory ./run or a test starts it from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddLocalHostServices();
builder.AddMetaSandbox();

var app = builder.Build();
app.MapOpenApi();
app.MapWebhookEndpoints();
app.MapHealthEndpoints();
app.MapParkedWebhookEndpoints();
app.MapRetentionEndpoints();
app.MapOutboxEndpoints();
app.MapConsentEndpoints();
app.MapSandboxEndpoints();
app.MapOptInPageEndpoints();
app.Run();

/// <summary>Entry point, visible to the end-to-end tests.</summary>
public partial class Program;
