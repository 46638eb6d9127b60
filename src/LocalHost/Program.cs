using Messaging.LocalHost.Consent;
using Messaging.LocalHost.Health;
using Messaging.LocalHost.Hosting;
using Messaging.LocalHost.Operations;
using Messaging.LocalHost.Sandbox;
using Messaging.LocalHost.Webhooks;

var builder = WebApplication.CreateBuilder(args);
builder.AddLocalHostServices();
builder.AddMetaSandbox();

var app = builder.Build();
app.MapOpenApi();
app.MapWebhookEndpoints();
app.MapHealthEndpoints();
app.MapParkedWebhookEndpoints();
app.MapConsentEndpoints();
app.MapSandboxEndpoints();
app.Run();

/// <summary>Entry point, visible to the end-to-end tests.</summary>
public partial class Program;
