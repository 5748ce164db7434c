using System.Linq.Expressions;
using MerchantPortal.Data.Merchants;

namespace MerchantPortal.Admin;

internal static class MerchantNames
{
#pragma warning disable CA1304, CA1311, CA1862 // EF translates ToLower() to SQL lower(); the culture-aware overloads are not translatable.
    /// <summary>Case-insensitive name match, evaluated by the database.</summary>
    public static Expression<Func<Merchant, bool>> Matches(string name)
    {
        var lowered = name.ToLowerInvariant();
        return m => m.Name.ToLower() == lowered;
    }
#pragma warning restore CA1304, CA1311, CA1862
}
