using System.Globalization;
using Microsoft.JSInterop;

namespace MerchantPortal.Components.Shared;

/// <summary>
/// The browser's time zone, read once per circuit (one JS call, cached for the circuit's life),
/// so times show as the merchant's wall clock with the zone named instead of raw UTC.
/// Prerendering has no browser: until the circuit's first render reads the zone, times show in
/// UTC and say so. Components call <see cref="LoadAsync"/> from OnAfterRenderAsync(firstRender)
/// and re-render when it returns true.
/// </summary>
public sealed class BrowserTime(IJSRuntime js, ILogger<BrowserTime> logger)
{
    /// <summary>An IANA id is short; anything longer did not come from Intl.</summary>
    private const int MaxZoneIdLength = 64;

    private Task<bool>? _load;

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>The zone as the browser names it (IANA id, e.g. "Europe/Berlin"), or "UTC".</summary>
    public string ZoneName => Zone == TimeZoneInfo.Utc ? "UTC" : Zone.Id;

    /// <summary>
    /// Reads the zone on the first call of the circuit (later calls share that read); true when
    /// the zone is not UTC, i.e. when the calling component must re-render its times. Every caller
    /// gets the answer, not only the first: several components of one circuit (the alarm bar,
    /// the digest, the page) each call it from their own first render.
    /// </summary>
    public Task<bool> LoadAsync() => _load ??= ReadAsync();

    public DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>A UTC instant as the browser's local time, e.g. "11/30/2026 21:54".</summary>
    public string Format(DateTime utc, string format = "g") =>
        ToLocal(utc).ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Midnight today in the browser's zone, as a UTC instant (for "orders today").</summary>
    public DateTime StartOfTodayUtc(DateTimeOffset now)
    {
        var localToday = TimeZoneInfo.ConvertTime(now, Zone).Date;
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(localToday, DateTimeKind.Unspecified), Zone);
    }

    private async Task<bool> ReadAsync()
    {
        try
        {
            var id = await js.InvokeAsync<string?>("merchantPortal.timeZone");
            if (string.IsNullOrEmpty(id) || id.Length > MaxZoneIdLength
                || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) || zone.Id == TimeZoneInfo.Utc.Id)
            {
                return false;
            }

            Zone = zone;
            return true;
        }
        catch (JSException ex)
        {
            logger.LogDebug(ex, "The browser did not report its time zone; times stay in UTC");
            return false;
        }
        catch (Exception ex) when (ex is TaskCanceledException or JSDisconnectedException)
        {
            // The call was lost with the connection (a read issued as a tab reconnects): times stay
            // in UTC for now, and the next caller asks again instead of sharing this failure.
            logger.LogDebug(ex, "The time zone read was lost with the connection; the next render asks again");
            _load = null;
            return false;
        }
    }
}
