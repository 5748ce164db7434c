using System.Net;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Tests.MultiNode;

/// <summary>
/// nginx's affinity cookie over plain HTTP: every client here comes from 127.0.0.1, as browsers
/// behind one office NAT would, so an address hash would put them all on one node.
/// </summary>
[Collection(MultiNodeTests.Name)]
public sealed class StickinessTests(TwoNodes nodes)
{
    private const int RequestsPerClient = 15;

    [Fact]
    public async Task AFreshClientGetsAnAffinityCookieAndEveryOneOfItsRequestsLandsOnOneNode()
    {
        var cookies = new CookieContainer();
        using var client = nodes.CreateClient(cookies);

        using var first = await client.GetAsync("Account/Login", TestContext.Current.CancellationToken);
        var setCookie = Assert.Single(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith(TwoNodes.AffinityCookie + "=", StringComparison.Ordinal));
        Assert.Contains("HttpOnly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Matches("^mp_node=[0-9a-f]{32};", setCookie);
        var node = TwoNodes.ServedBy(first);

        // Page loads, static files, redirects and the circuit's negotiation: all to the same node,
        // and the cookie is not handed out again.
        string[] paths = ["Account/Login", "/", "orders", "_blazor/negotiate?negotiateVersion=1", "app.css"];
        for (var i = 0; i < RequestsPerClient; i++)
        {
            var path = paths[i % paths.Length];
            using var request = new HttpRequestMessage(path.StartsWith("_blazor", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(node, TwoNodes.ServedBy(response));
            Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith(TwoNodes.AffinityCookie + "=", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task FreshClientsFromOneAddressAreSpreadOverBothNodesAndEachStaysOnItsOwn()
    {
        var servedBy = new Dictionary<string, int>();
        for (var client = 0; client < 20; client++)
        {
            using var http = nodes.CreateClient();
            var served = new HashSet<string>();
            for (var i = 0; i < 5; i++)
            {
                using var response = await http.GetAsync("Account/Login", TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                served.Add(TwoNodes.ServedBy(response));
            }

            var node = Assert.Single(served);
            servedBy[node] = servedBy.GetValueOrDefault(node) + 1;
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", servedBy.Select(p => $"{p.Key}: {p.Value} clients")));
        Assert.Equal(["node-a", "node-b"], servedBy.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheSameAffinityValueReachesTheSameNodeFromAnyClient()
    {
        foreach (var node in nodes.Nodes)
        {
            var value = await nodes.AffinityForAsync(node);
            for (var i = 0; i < 5; i++)
            {
                using var client = nodes.CreateClient(AffinityJar(nodes.BaseAddress, value));
                using var response = await client.GetAsync("Account/Login", TestContext.Current.CancellationToken);
                Assert.Equal(node.Name, TwoNodes.ServedBy(response));
                // A browser that brings its cookie keeps it: nginx sets none.
                Assert.False(response.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith(TwoNodes.AffinityCookie + "=", StringComparison.Ordinal)));
            }
        }
    }

    [Fact]
    public async Task HealthEndpointsPassThroughNginxToTheClientsNode()
    {
        foreach (var node in nodes.Nodes)
        {
            using var client = nodes.CreateClient(AffinityJar(nodes.BaseAddress, await nodes.AffinityForAsync(node)));
            foreach (var path in new[] { "health/live", "health/ready" })
            {
                using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                Assert.Equal(node.Name, TwoNodes.ServedBy(response));
            }
        }
    }

    internal static CookieContainer AffinityJar(Uri address, string value)
    {
        var jar = new CookieContainer();
        jar.Add(address, new Cookie(TwoNodes.AffinityCookie, value, "/"));
        return jar;
    }
}
