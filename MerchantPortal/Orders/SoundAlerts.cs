using MerchantPortal.Data;
using MerchantPortal.Data.Users;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.JSInterop;

namespace MerchantPortal.Orders;

/// <summary>
/// The merchant's "chime on new orders" choice (stored on the user, so it follows them to
/// every browser) and the browser side that plays it within autoplay rules.
/// </summary>
public sealed class SoundAlerts(
    IDbContextFactory<PortalDbContext> dbFactory, AuthenticationStateProvider authentication, IJSRuntime js) : IAsyncDisposable
{
    private Task<string?>? _userId;
    private IJSObjectReference? _module;

    public bool Enabled { get; private set; }

    /// <summary>Raised after <see cref="SetAsync"/> stored a choice in this circuit (the alarm bar and the armed check follow it).</summary>
    public event Action? Changed;

    public async Task LoadAsync()
    {
        if (await UserIdAsync() is not { } userId)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        Enabled = await db.Users.Where(u => u.Id == userId).Select(u => u.SoundAlerts).SingleOrDefaultAsync();
    }

    /// <summary>Saves the choice. Called from the toggle's click, which is also the gesture that unlocks audio.</summary>
    public async Task SetAsync(bool enabled)
    {
        if (await UserIdAsync() is not { } userId)
        {
            return;
        }

        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(set => set.SetProperty(u => u.SoundAlerts, enabled));
        }

        Enabled = enabled;
        Changed?.Invoke();
        if (enabled)
        {
            await (await ModuleAsync()).InvokeVoidAsync("unlock");
        }
    }

    /// <summary>After a page load, the first click or key press anywhere re-enables sound.</summary>
    public async Task ArmAsync()
    {
        if (Enabled)
        {
            await (await ModuleAsync()).InvokeVoidAsync("unlockOnNextGesture");
        }
    }

    public async Task ChimeAsync()
    {
        if (Enabled)
        {
            await (await ModuleAsync()).InvokeAsync<bool>("chime");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The browser is gone; nothing to release there.
            }
        }
    }

    private async Task<IJSObjectReference> ModuleAsync() =>
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/sound.js");

    private Task<string?> UserIdAsync() => _userId ??= ReadUserIdAsync();

    private async Task<string?> ReadUserIdAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return user.Identity?.IsAuthenticated == true ? user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value : null;
    }
}
