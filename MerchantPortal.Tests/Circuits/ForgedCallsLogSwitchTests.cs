using MerchantPortal.Circuits;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.Tests.Circuits;

/// <summary>
/// Circuits:LogForgedCalls: on by default the forged-calls logger listens (the hostile tests prove what
/// it logs); false registers no listener, so the framework builds no Debug state for it.
/// </summary>
public sealed class ForgedCallsLogSwitchTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void TheForgedCallsLoggerListensUnlessSwitchedOff(string? setting, bool listens)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(setting is null ? [] : [new("Circuits:LogForgedCalls", setting)])
            .Build();
        var services = new ServiceCollection().AddPortalCircuits(configuration);

        Assert.Equal(listens, services.Any(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ForgedCallsLog)));
    }
}
