namespace MerchantPortal.Data.Orders;

public enum OrderStatus
{
    New = 0,
    Accepted = 1,
    Rejected = 2,
    Completed = 3,
}
