using MinimalCircuit;
using MinimalCircuit.Components;

// The floor reference for `probe --anonymous` (see MinimalCircuit.csproj): one interactive server
// tree with one line of text, nothing else registered. Every byte an idle circuit holds here is
// the framework's own. /push?g=N and POST /push/N are the no-database push floor (`push-floor`);
// "/" does not use them.
var builder = WebApplication.CreateBuilder(args);
// In code, not appsettings.json: the app is started from the repository root, which is then its
// content root. Per-request Information logs would cost CPU for every one of the probe's circuits.
builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddSingleton<MarkerPushes>();

var app = builder.Build();
// Razor component endpoints carry antiforgery metadata; routing refuses them without this middleware.
app.UseAntiforgery();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
// The push: the harness times it from before this request to the render batch carrying the marker.
app.MapPost("/push/{group:int}", (int group, string marker, MarkerPushes pushes) => pushes.Push(group, marker));
await app.RunAsync();
