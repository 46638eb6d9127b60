using Messaging.LocalHost.Health;
using Messaging.LocalHost.Hosting;
using Messaging.LocalHost.Operations;
using Messaging.LocalHost.OptIn;
using Messaging.LocalHost.Webhooks;

var builder = WebApplication.CreateBuilder(args);
builder.AddLocalHostServices();

var app = builder.Build();
app.UseAntiforgery();
app.MapOpenApi();
app.MapWebhookEndpoints();
app.MapHealthEndpoints();
app.MapParkedWebhookEndpoints();
app.MapOptInPageEndpoints();
app.Run();

/// <summary>Entry point, visible to the end-to-end tests.</summary>
public partial class Program;
