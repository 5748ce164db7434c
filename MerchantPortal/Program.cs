using MerchantPortal.Admin;
using MerchantPortal.Alerts;
using MerchantPortal.Circuits;
using MerchantPortal.Components;
using MerchantPortal.Data;
using MerchantPortal.Health;
using MerchantPortal.Identity;
using MerchantPortal.Nodes;
using MerchantPortal.Orders;
using MerchantPortal.Security;
using MerchantPortal.Setup;
using MerchantPortal.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddPortalData(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddPortalIdentity(builder.Configuration);
builder.Services.AddOrderNotifications(builder.Configuration);
builder.Services.AddPortalAdmin();
builder.Services.AddPortalUi();
builder.Services.AddPortalNodes(builder.Configuration);
builder.Services.AddPortalAlerts(builder.Configuration);
builder.Services.AddPortalTelemetry(builder.Configuration);
builder.Services.AddPortalHealth();
builder.Services.AddPortalSecurity(builder.Configuration);
builder.Services.AddPortalCircuits(builder.Configuration);

// Disposed on every way out: that flushes the console logger, whose queue would otherwise lose
// the one line saying why a start-up or a command failed when Main returns at once.
await using var app = builder.Build();

// A command such as `create-admin` runs against the same services and exits without serving.
if (PortalCommands.IsCommand(args))
{
    return await PortalCommands.RunAsync(app, args);
}

if (!await app.PrepareDatabaseAsync())
{
    return 1;
}

app.UsePortalNodes();
app.MapPortalHealth();
app.UsePortalUi();
await app.RunAsync();
return 0;
