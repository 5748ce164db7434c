using System.Net;
using MerchantPortal.Security;

namespace MerchantPortal.Tests.Security;

public sealed class SignInThrottlePartitionTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void AnIpv6ClientIsThrottledByItsSlash64AndAnIpv4OneByItsAddress(string client, string partition) =>
        Assert.Equal(partition, SignInThrottle.PartitionOf(IPAddress.Parse(client)));
}
