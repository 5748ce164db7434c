using MerchantPortal.Bench.Tests.Infrastructure;

namespace MerchantPortal.Bench.Tests.Hostile;

/// <summary>
/// One client floods: events far faster than a person clicks, a message above the hub's size limit,
/// render batches never acknowledged, more circuits than the per-user cap. Only that client's circuit
/// ends or stalls; another merchant's orders keep arriving within the usual deadline.
/// </summary>
[Collection(HostileGroup.Name)]
public sealed class FloodTests(HostileApp host)
{
    [Fact]
    public async Task AFloodOfEventsEndsThatCircuitAndIsLoggedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bystander = await HostileCircuit.OpenAsync(await host.SignInAsync(HostileApp.Bystander, ct), "", ct);
        var session = await host.SignInAsync(HostileApp.Attacker, ct);
        var floodLines = host.RefusalLines("message flood", HostileApp.Attacker);
        await using var page = await HostileCircuit.OpenAsync(session, "alerts", ct);
        var select = await page.HandlerAsync("alert-repeat", "change");

        // Honest-looking changes (each would be an UPDATE) as fast as the socket takes them, until the
        // server closes the connection: how many it reads before that depends on its speed here.
        var sent = 0;
        for (; sent < 50_000 && !page.Closed; sent++)
        {
            try
            {
                await page.ChangeAsync(select, sent % 2 == 0 ? "15" : "30", ct);
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                break; // the server closed it under us
            }
        }

        // The hub filter closes the connection at once (Circuits:MaxInboundPerSecond).
        Assert.True(await Eventually.TrueWithinAsync(HostileCircuit.InteractiveDeadline, () => page.Closed),
            $"The flooding connection was never closed after {sent} events: {page.Recorder.Describe()}");
        // The app logs the flood once per user per minute, not once per refused message (another
        // test of this app may have flooded as the same user within the minute: then no new line).
        Assert.True(await Eventually.TrueWithinAsync(HostileCircuit.InteractiveDeadline, () => host.RefusalLines("message flood", HostileApp.Attacker) >= 1));
        Assert.InRange(host.RefusalLines("message flood", HostileApp.Attacker) - floodLines, 0, 1);
        Assert.NotNull(await host.OrderToBatchAsync(HostileApp.Bystander, bystander));
        Assert.False(bystander.Closed);
        TestContext.Current.TestOutputHelper?.WriteLine($"{sent} events sent before the circuit ended: {page.Recorder.Describe()}");
    }

    [Fact]
    public async Task AMessageAboveTheHubLimitClosesOnlyThatConnection()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bystander = await HostileCircuit.OpenAsync(await host.SignInAsync(HostileApp.Bystander, ct), "", ct);
        await using var page = await HostileCircuit.OpenAsync(await host.SignInAsync(HostileApp.Attacker, ct), "alerts", ct);
        var select = await page.HandlerAsync("alert-repeat", "change");
        var before = await host.RepeatSecondsAsync(HostileApp.Attacker);

        // 40,000 characters: above the 32 KiB Circuits:MaxMessageSize.
        try
        {
            await page.ChangeAsync(select, new string('6', 40_000), ct);
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            // Closed while sending: the same outcome.
        }

        Assert.True(await Eventually.TrueWithinAsync(HostileCircuit.InteractiveDeadline, () => page.Closed),
            $"An oversized message did not close the connection: {page.Recorder.Describe()}");
        Assert.Equal(before, await host.RepeatSecondsAsync(HostileApp.Attacker));
        Assert.NotNull(await host.OrderToBatchAsync(HostileApp.Bystander, bystander));
    }

    [Fact]
    public async Task ACircuitThatNeverAcknowledgesGetsAtMostTenBatchesAndOthersAreServed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bystander = await HostileCircuit.OpenAsync(await host.SignInAsync(HostileApp.Bystander, ct), "", ct);
        var session = await host.SignInAsync(HostileApp.Attacker, ct);
        await using var stalled = await HostileCircuit.OpenAsync(session, "", ct, acknowledge: false);

        // Each order re-renders the badge, the toasts and the list: many batches it never acknowledges.
        for (var i = 0; i < 15; i++)
        {
            await host.WriteOrderAsync(HostileApp.Attacker);
            await Eventually.TrueWithinAsync(TimeSpan.FromMilliseconds(300), () => false);
        }

        Assert.NotNull(await host.OrderToBatchAsync(HostileApp.Bystander, bystander));
        // Circuits:MaxUnacknowledgedRenderBatches: the server holds the rest back instead of sending.
        Assert.InRange(stalled.Recorder.Batches.Count, 1, 10);
        TestContext.Current.TestOutputHelper?.WriteLine($"stalled circuit: {stalled.Recorder.Describe()}");
    }

    [Fact]
    public async Task TheCircuitBeyondTheUserCapIsEndedAtStartAndLoggedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        const string Email = "capped@hostile.test";
        Assert.Equal(0, (await host.App.RunCommandAsync("create-merchant", "--name", "Capped Shop")).ExitCode);
        Assert.Equal(0, (await host.App.RunCommandAsync("create-user", "--merchant", "Capped Shop", "--email", Email, "--password", HostileApp.Password)).ExitCode);
        var session = await host.SignInAsync(Email, ct);

        var open = new List<HostileCircuit>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                open.Add(await HostileCircuit.OpenAsync(session, "", ct));
            }

            Assert.All(open, c => Assert.False(c.Closed || !c.Recorder.ServerErrors.IsEmpty, c.Recorder.Describe()));
            for (var extra = 0; extra < 3; extra++)
            {
                // The hub answers StartCircuit without a circuit and closes the connection.
                var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => HostileCircuit.OpenAsync(session, "", ct));
                TestContext.Current.TestOutputHelper?.WriteLine($"circuit {21 + extra}: {refused.Message}");
            }

            Assert.True(await Eventually.TrueWithinAsync(HostileCircuit.InteractiveDeadline, () => host.RefusalLines("circuit over the per-user cap", Email) >= 1));
            Assert.Equal(1, host.RefusalLines("circuit over the per-user cap", Email));

            // A tab closing for good (the browser's disconnect beacon) frees its place at once.
            await open[0].CloseLikeATabAsync(ct);
            open.RemoveAt(0);
            await using var again = await HostileCircuit.OpenAsync(session, "", ct);
            Assert.False(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(2), () => !again.Recorder.ServerErrors.IsEmpty || again.Closed),
                $"A place freed by a closed tab was not given to the next circuit: {again.Recorder.Describe()}");
        }
        finally
        {
            foreach (var circuit in open)
            {
                await circuit.DisposeAsync();
            }
        }
    }
}
