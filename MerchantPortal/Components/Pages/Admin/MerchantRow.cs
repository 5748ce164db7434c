namespace MerchantPortal.Components.Pages.Admin;

/// <summary>One merchant as the merchants table shows it.</summary>
public sealed record MerchantRow(int Id, string Name, bool IsActive, int Users, int NewOrders, DateTime CreatedAt);
