using System.Text;
using MerchantPortal.Bench.Circuits;
using MerchantPortal.Bench.Tests.Infrastructure;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Bench.Tests.Circuits;

/// <summary>
/// Two app nodes on one database: a page prerendered by node A starts its circuit on node B.
/// The component descriptors and the persisted component state in A's page, and A's sign-in
/// cookie, are protected with Data Protection; B accepts them only because both nodes read one
/// key ring from the database. (A browser's load balancer keeps both on one node; this is the
/// case where it could not, e.g. right after a node died.)
/// </summary>
public sealed class CrossNodeCircuitTests(PortalProcess nodeA) : IClassFixture<PortalProcess>
{
    private static readonly TimeSpan InteractiveRenderDeadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task APagePrerenderedByOneNodeStartsItsCircuitOnAnother()
    {
        var ct = TestContext.Current.CancellationToken;
        var addressB = AppProcess.FreeLoopbackAddress();
        var outputB = new StringBuilder();
        // A home folder of its own: without the database key ring, B would keep its keys in a file
        // folder A never reads (on one machine both would otherwise share ~/.aspnet).
        var homeB = Directory.CreateTempSubdirectory("merchantportal-node-b-").FullName;
        var nodeB = AppProcess.Start(nodeA.ConnectionString, ["--urls", addressB.ToString().TrimEnd('/')], outputB,
            new Dictionary<string, string> { ["HOME"] = homeB });
        try
        {
            await AppProcess.WaitUntilServingAsync(nodeB, addressB, outputB);
            using var http = CookieHttp.CreateSharedClient();
            var onA = await MerchantSession.SignInAsync(http, nodeA.BaseAddress, "merchant1@demo.local", "Demo!2345", ct);
            // Behind a load balancer the browser sees one origin; here that is B's, so the page
            // A rendered is taken as served at B's address (its markers and state are A's).
            using var get = new HttpRequestMessage(HttpMethod.Get, nodeA.BaseAddress);
            using var response = await onA.SendAsync(get, ct);
            response.EnsureSuccessStatusCode();
            var page = PrerenderedPage.Parse(addressB, await response.Content.ReadAsStringAsync(ct));
            Assert.NotEmpty(page.Markers);

            // The same browser (A's cookies), now talking to B.
            var onB = MerchantSession.Anonymous(http, addressB);
            onB.Cookies.Add(onA.Cookies.GetAllCookies());
            var recorder = new CircuitRecorder();
            await using var circuit = new CircuitClient(onB, recorder.Callbacks);
            try
            {
                await circuit.StartAsync(page, ct);
            }
            catch (InvalidOperationException ex)
            {
                Assert.Fail($"B refused the circuit of A's page: {ex.Message}\n{recorder.Describe()}\nnode B:\n{AppProcess.Read(outputB)}");
            }

            Assert.True(await Eventually.TrueWithinAsync(InteractiveRenderDeadline, () => recorder.RootComponentBatches.Contains(1) && !recorder.Batches.IsEmpty),
                $"B never rendered A's page: {recorder.Describe()}\nnode B:\n{AppProcess.Read(outputB)}");
            Assert.Empty(recorder.ServerErrors);
            // The dashboard rendered for the signed-in merchant, not for an anonymous visitor.
            Assert.NotNull(recorder.FirstBatchRendering("Demo Shop 1"));
            await circuit.DisconnectAsync(ct);
        }
        finally
        {
            await AppProcess.StopAsync(nodeB);
            Directory.Delete(homeB, recursive: true);
        }
    }
}
