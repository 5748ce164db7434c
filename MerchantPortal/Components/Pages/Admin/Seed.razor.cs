using System.Globalization;
using MerchantPortal.Admin;
using MerchantPortal.Data;
using MerchantPortal.Data.Orders;
using MerchantPortal.Orders;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace MerchantPortal.Components.Pages.Admin;

public sealed partial class Seed
{
    private MudForm _seedForm = default!;
    private MudForm _orderForm = default!;
    private List<MerchantOption> _merchants = [];

    private string _merchant = "";
    private int? _count = 10;
    private int? _spread = 0;
    private bool _seeding;
    private int _done;
    private int _total;
    private string? _seedResult;
    private CancellationTokenSource? _cancel;
    private (string, long) _lastSeedSubmit;

    private string _orderMerchant = "";
    private string? _customer;
    private decimal? _orderTotal;
    private bool _creating;
    private string? _orderResult;
    private string? _orderError;
    private (string, long) _lastOrderSubmit;

    protected override async Task OnInitializedAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        _merchants = await db.Merchants.AsNoTracking().Where(m => m.IsActive).OrderBy(m => m.Name)
            .Select(m => new MerchantOption(m.Id, m.Name)).ToListAsync();
        _merchant = _orderMerchant = _merchants.Count > 0 ? _merchants[0].Id.ToString(CultureInfo.InvariantCulture) : "";
    }

    // The same rules as OrderSeeder's, so the message shows beside the field at once.
    private static string? CountError(int? count) =>
        count is null ? "Count is required."
        : count is < 1 or > OrderSeeder.MaxCount ? $"Count must be from 1 to {OrderSeeder.MaxCount}."
        : null;

    private static string? SpreadError(int? seconds) =>
        seconds is null || (seconds >= 0 && seconds <= OrderSeeder.MaxSpread.TotalSeconds)
            ? null
            : $"Spread must be from 0 to {OrderSeeder.MaxSpread.TotalSeconds:0} seconds.";

    private static string? CustomerError(string? customer) => (customer ?? "").Trim() switch
    {
        "" => "Customer name is required.",
        { Length: > Order.CustomerNameMaxLength } => $"Customer name can be at most {Order.CustomerNameMaxLength} characters.",
        _ => null,
    };

    private static string? TotalError(decimal? total) =>
        total is null ? "Total is required."
        : total <= 0 || total > OrderSeeder.MaxTotal ? string.Create(CultureInfo.InvariantCulture, $"Total must be more than 0 and at most {OrderSeeder.MaxTotal:0}.")
        : decimal.Round(total.Value, 2) != total ? "Total can have at most two decimal places."
        : null;

    /// <summary>The messages beside the fields, repeated in the form's alert (the seed-error hook).</summary>
    private static string FormErrors(MudForm form) => "Check the fields above: " + string.Join(" ", form.Errors.Distinct());

    private async Task SeedAsync()
    {
        // A second click while the first runs, or right after it (double-click), does nothing.
        // Both checks come before the first await, so a second click cannot slip in between.
        if (_seeding || IsDoubleSubmit(ref _lastSeedSubmit, $"{_merchant}|{_count}|{_spread}"))
        {
            return;
        }

        (_seeding, _seedResult, _done, _total, Error) = (true, null, 0, 0, null);
        _cancel = new CancellationTokenSource();
        try
        {
            await _seedForm.ValidateAsync();
            if (!_seedForm.IsValid)
            {
                Error = FormErrors(_seedForm);
                return;
            }

            SeedResult? result = null;
            var spread = TimeSpan.FromSeconds(_spread ?? 0);
            var request = new SeedRequest(_merchant, _count ?? 0, spread);
            _total = spread > TimeSpan.Zero ? request.Count : 0;
            var progress = new Progress<int>(done => _ = InvokeAsync(() =>
            {
                _done = done;
                StateHasChanged();
            }));
            if (await RunAsync(async actor => result = await Seeder.SeedAsync(request, actor, progress, _cancel.Token)))
            {
                _seedResult = result!.ToString();
            }
        }
        finally
        {
            _seeding = false;
            _cancel.Dispose();
            _cancel = null;
        }
    }

    private void Cancel() => _cancel?.Cancel();

    private async Task CreateOrderAsync()
    {
        if (_creating || IsDoubleSubmit(ref _lastOrderSubmit, $"{_orderMerchant}|{_customer}|{_orderTotal}"))
        {
            return;
        }

        (_creating, _orderResult, _orderError) = (true, null, null);
        try
        {
            await _orderForm.ValidateAsync();
            if (!_orderForm.IsValid)
            {
                _orderError = FormErrors(_orderForm);
                return;
            }

            Order? order = null;
            var (merchant, customer, total) = (_orderMerchant, _customer ?? "", _orderTotal!.Value);
            if (await RunAsync(async actor => order = await Seeder.CreateOrderAsync(merchant, customer, total, actor)))
            {
                _orderResult = $"Created order {order!.DisplayNumber} for {order.CustomerName} ({order.FormatTotal()}).";
                _customer = null;
                await _orderForm.ResetValidationAsync();
            }
            else
            {
                // The seed form's alert belongs to the seed form: this error shows beside its own form.
                (_orderError, Error) = (Error, null);
            }
        }
        finally
        {
            _creating = false;
        }
    }

    public void Dispose()
    {
        // Leaving the page stops a trickle; what was created stays, and the activity log says how many.
        _cancel?.Cancel();
    }
}
