using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MerchantPortal.Circuits;

/// <summary>
/// Forged calls into the circuit (a .NET method that is not [JSInvokable] or an object the page
/// never got, an event for a handler id that was never issued or with arguments the handler
/// cannot take) are refused by the framework itself, before any app code runs, and it reports
/// them only as Debug log events of the circuit. This provider listens to just those events of
/// just those two categories (<see cref="CircuitsRegistration"/> enables Debug for this provider
/// alone, so the console and telemetry keep their levels) and passes each to
/// <see cref="RefusedRequests"/>: one warning a minute per user and kind, whatever the rate.
/// (A handler of the app that throws fails its event the same way; then the circuit's own error is
/// logged beside this warning.) The user is the one of the circuit whose inbound call is being handled (<see cref="CircuitGuard"/>
/// sets it around every inbound activity).
/// </summary>
internal sealed class ForgedCallsLog(IServiceProvider services) : ILoggerProvider
{
    // Resolved at the first refusal: RefusedRequests logs through the logger factory this provider
    // is part of, so taking it in the constructor would be a circular dependency.
    private RefusedRequests Refused => field ??= services.GetRequiredService<RefusedRequests>();

    public static readonly string[] Categories =
    [
        "Microsoft.AspNetCore.Components.Server.Circuits.CircuitHost",
        "Microsoft.AspNetCore.Components.Server.Circuits.RemoteJSRuntime",
    ];

    // The framework's names for a refused inbound call (Microsoft.AspNetCore.Components.Server 10.0).
    private static readonly HashSet<string> Refusals = new(StringComparer.Ordinal)
    {
        "InvokeStaticDotNetMethodException",
        "InvokeInstanceDotNetMethodException",
        "BeginInvokeDotNetFailed",
        "BeginInvokeDotNetStaticFailed",
        "DispatchEventFailedToParseEventData",
        "DispatchEventFailedToDispatchEvent",
    };

    /// <summary>The signed-in user of the circuit whose inbound call runs in this flow, if any.</summary>
    public static AsyncLocal<string?> CurrentUser { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Listener(this);

    public void Dispose()
    {
    }

    private sealed class Listener(ForgedCallsLog owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is not { } name || !Refusals.Contains(name))
            {
                return;
            }

            // Since .NET 8 a browser event is a call of the renderer's DispatchEventAsync.
            var method = state is IReadOnlyList<KeyValuePair<string, object?>> values
                ? values.FirstOrDefault(v => v.Key == "MethodIdentifier").Value as string
                : null;
            var kind = name.StartsWith("DispatchEvent", StringComparison.Ordinal) || method == "DispatchEventAsync" ? "forged event" : "forged .NET call";
            owner.Refused.Refused(kind, CurrentUser.Value,
                $"{formatter(state, exception)} {exception?.GetType().Name}: {RefusedRequests.Shorten(exception?.Message)}");
        }
    }
}
