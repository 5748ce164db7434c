namespace MerchantPortal.Data.Users;

/// <summary>
/// The colour scheme a user picked. <see cref="System"/> (the default) follows the browser's
/// prefers-color-scheme; the other two win over it on every browser the user signs in to.
/// </summary>
public enum ThemeChoice
{
    System = 0,
    Light = 1,
    Dark = 2,
}
