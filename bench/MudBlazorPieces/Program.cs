using MudBlazor.Services;
using MudBlazorPieces.Components;

// Like bench/MinimalCircuit, plus MudBlazor's services: each page adds one piece to an otherwise
// idle interactive tree, and the probe reads what 1,000 such circuits hold.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();

var app = builder.Build();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
await app.RunAsync();
