namespace MerchantPortal.Admin;

public static class AdminRegistration
{
    public static IServiceCollection AddPortalAdmin(this IServiceCollection services)
    {
        services.AddSingleton<OrderSeeder>();
        services.AddSingleton<MerchantAdmin>();
        services.AddSingleton<UserAdmin>();
        return services;
    }
}
