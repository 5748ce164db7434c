using MerchantPortal.Data.Orders;
using MudBlazor;

namespace MerchantPortal.Orders;

/// <summary>
/// Turns the grid's sort request into a query. Column names arrive from the browser, so only
/// the listed columns sort; anything else falls back to newest first.
/// </summary>
public static class OrderSorting
{
    public static IQueryable<Order> Apply(IQueryable<Order> query, IEnumerable<SortDefinition<Order>>? sorts)
    {
        // The grid sorts by one column (SortMode.Single); a forged second one is ignored.
        var sort = sorts?.OrderBy(s => s.Index).FirstOrDefault();
        var descending = sort?.Descending == true;
        IOrderedQueryable<Order>? ordered = sort?.SortBy switch
        {
            nameof(Order.Number) => By(query, o => o.Number, descending),
            nameof(Order.CustomerName) => By(query, o => o.CustomerName, descending),
            nameof(Order.Total) => By(query, o => o.Total, descending),
            nameof(Order.Status) => By(query, o => o.Status, descending),
            nameof(Order.CreatedAt) => By(query, o => o.CreatedAt, descending),
            _ => null,
        };
        if (ordered is null)
        {
            return query.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id);
        }

        // A unique tie-breaker keeps paging stable when many rows share a sort value.
        return descending ? ordered.ThenByDescending(o => o.Id) : ordered.ThenBy(o => o.Id);
    }

    private static IOrderedQueryable<Order> By<TKey>(IQueryable<Order> query, System.Linq.Expressions.Expression<Func<Order, TKey>> key, bool descending) =>
        descending ? query.OrderByDescending(key) : query.OrderBy(key);
}
