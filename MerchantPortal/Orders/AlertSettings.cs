using System.Globalization;
using MerchantPortal.Circuits;
using MerchantPortal.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Orders;

/// <summary>
/// The signed-in user's alert settings: sound (kept by <see cref="SoundAlerts"/>, which also
/// unlocks audio on the click that turns it on), how often the chime repeats while an order is
/// unacknowledged, and background browser notifications. Stored on the user row, so they follow
/// the user to every browser and device; one per circuit (scoped). The user comes from the
/// circuit's authentication state and every value is checked here, whatever the browser sent.
/// </summary>
public sealed class AlertSettings(
    IDbContextFactory<PortalDbContext> dbFactory, AuthenticationStateProvider authentication, SoundAlerts sound, RefusedRequests refused)
{
    /// <summary>The repeat intervals a user may pick, in seconds; 0 rings once.</summary>
    public static IReadOnlyList<int> RepeatChoices { get; } = [0, 15, 30, 60];

    public const int DefaultRepeatSeconds = 30;

    private Task<string?>? _userId;
    private Task? _load;
    private bool _listening;

    public bool Sound => sound.Enabled;

    public int RepeatSeconds { get; private set; } = DefaultRepeatSeconds;

    /// <summary>Null: ring once.</summary>
    public TimeSpan? RepeatInterval => RepeatSeconds == 0 ? null : TimeSpan.FromSeconds(RepeatSeconds);

    public bool Notifications { get; private set; }

    /// <summary>
    /// Raised after any of the three changed in this circuit (the sound toggle in the app bar
    /// included), on the caller's thread; components switch to the renderer with InvokeAsync.
    /// </summary>
    public event Action? Changed;

    public static bool IsRepeatChoice(int seconds) => RepeatChoices.Contains(seconds);

    /// <summary>Reads the user's settings once per circuit; later calls wait for the same read.</summary>
    public Task LoadAsync() => _load ??= LoadCoreAsync();

    public async Task SetSoundAsync(bool enabled)
    {
        await sound.SetAsync(enabled);
        if (!_listening)
        {
            Changed?.Invoke();
        }
    }

    /// <summary>
    /// The select's text as the browser sent it: false, nothing stored and the refusal logged
    /// (rate-limited) for anything but "0", "15", "30" or "60", which no honest page sends.
    /// </summary>
    public async Task<bool> SetRepeatAsync(string? value)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return await SetRepeatSecondsAsync(seconds);
        }

        await RefuseRepeatAsync(value);
        return false;
    }

    /// <summary>False, and nothing stored, for anything but 0, 15, 30 or 60.</summary>
    public async Task<bool> SetRepeatSecondsAsync(int seconds)
    {
        if (!IsRepeatChoice(seconds))
        {
            await RefuseRepeatAsync(seconds.ToString(CultureInfo.InvariantCulture));
            return false;
        }

        if (await UserIdAsync() is not { } userId)
        {
            return false;
        }

        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(set => set.SetProperty(u => u.AlertRepeatSeconds, seconds));
        }

        RepeatSeconds = seconds;
        Changed?.Invoke();
        return true;
    }

    /// <summary>
    /// Stores the choice. The browser's permission is asked by js/alerts.js from the same click
    /// (a permission prompt needs the user's gesture, which a round trip to the server loses).
    /// </summary>
    public async Task SetNotificationsAsync(bool enabled)
    {
        if (await UserIdAsync() is not { } userId)
        {
            return;
        }

        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(set => set.SetProperty(u => u.AlertNotifications, enabled));
        }

        Notifications = enabled;
        Changed?.Invoke();
    }

    private async Task RefuseRepeatAsync(string? value)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        refused.Refused("alert repeat value", user.Identity?.Name, $"\"{RefusedRequests.Shorten(value)}\" is not one of 0, 15, 30, 60; nothing stored");
    }

    private async Task LoadCoreAsync()
    {
        sound.Changed += OnSoundChanged;
        _listening = true;
        if (await UserIdAsync() is not { } userId)
        {
            return;
        }

        await sound.LoadAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        var stored = await db.Users.Where(u => u.Id == userId)
            .Select(u => new { u.AlertRepeatSeconds, u.AlertNotifications })
            .SingleOrDefaultAsync();
        if (stored is not null)
        {
            // A value written around this service (SQL, an old row) still rings at a known pace.
            RepeatSeconds = IsRepeatChoice(stored.AlertRepeatSeconds) ? stored.AlertRepeatSeconds : DefaultRepeatSeconds;
            Notifications = stored.AlertNotifications;
        }
    }

    // The app bar's sound toggle writes through SoundAlerts directly.
    private void OnSoundChanged() => Changed?.Invoke();

    private Task<string?> UserIdAsync() => _userId ??= ReadUserIdAsync();

    private async Task<string?> ReadUserIdAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return user.Identity?.IsAuthenticated == true ? user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value : null;
    }
}
