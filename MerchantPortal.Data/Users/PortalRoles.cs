namespace MerchantPortal.Data.Users;

public static class PortalRoles
{
    public const string Admin = "Admin";
    public const string Merchant = "Merchant";

    public static readonly IReadOnlyList<string> All = [Admin, Merchant];
}
