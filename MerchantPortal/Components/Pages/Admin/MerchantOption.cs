namespace MerchantPortal.Components.Pages.Admin;

/// <summary>An active merchant offered by the seed page's selects.</summary>
public sealed record MerchantOption(int Id, string Name);
