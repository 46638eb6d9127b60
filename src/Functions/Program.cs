using Messaging.Functions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The production host: the same core as LocalHost (AddMessagingCore), with Service Bus instead of Storage Queues
// and Durable Functions instead of LocalHost's workflow driver. Composition lives in FunctionsHostServiceExtensions.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// Through the interface the builder implements, so the call into our own code is type-checked everywhere.
IHostApplicationBuilder host = builder;
host.Services.AddFunctionsHost(host.Configuration);
builder.Build().Run();
