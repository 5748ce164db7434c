using Bogus;
using MerchantPortal.Data.Merchants;
using MerchantPortal.Data.Orders;

namespace MerchantPortal.Orders;

/// <summary>Realistic-looking orders for demos and load tests (names, totals, item counts).</summary>
public sealed class OrderGenerator(int? seed = null)
{
    private readonly Faker _faker = seed is { } s ? new Faker { Random = new Randomizer(s) } : new Faker();

    public Order Next(Merchant merchant, DateTime createdAtUtc, OrderStatus status = OrderStatus.New)
    {
        var items = _faker.Random.Int(1, 6);
        return new Order
        {
            MerchantId = merchant.Id,
            Number = merchant.NextOrderNumber(),
            CustomerName = _faker.Name.FullName(),
            ItemCount = items,
            Total = decimal.Round(items * _faker.Random.Decimal(4.5m, 60m), 2),
            Currency = "EUR",
            Status = status,
            CreatedAt = createdAtUtc,
            StatusChangedAt = createdAtUtc,
        };
    }
}
