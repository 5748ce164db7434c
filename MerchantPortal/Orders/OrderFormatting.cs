using System.Globalization;
using MerchantPortal.Data.Orders;

namespace MerchantPortal.Orders;

public static class OrderFormatting
{
    /// <summary>"42.50 EUR": invariant digits so every merchant reads the same amount.</summary>
    public static string FormatTotal(this Order order) =>
        string.Create(CultureInfo.InvariantCulture, $"{order.Total:0.00} {order.Currency}");
}
