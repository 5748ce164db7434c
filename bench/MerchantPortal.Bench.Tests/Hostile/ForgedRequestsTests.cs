using System.Text;
using MerchantPortal.Bench.Tests.Infrastructure;
using MerchantPortal.Data.Orders;

namespace MerchantPortal.Bench.Tests.Hostile;

/// <summary>
/// A signed-in merchant's circuit sends what its pages never would: values that were never options,
/// nulls, oversized strings, another merchant's order, forged .NET calls and handler ids. The server
/// refuses each, reads and writes nothing of another merchant, and logs each kind once.
/// </summary>
[Collection(HostileGroup.Name)]
public sealed class ForgedRequestsTests(HostileApp host)
{
    [Fact]
    public async Task ForgedRepeatValuesAreRefusedStoredNowhereAndLoggedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await host.SignInAsync(HostileApp.Attacker, ct);
        await using var page = await HostileCircuit.OpenAsync(session, "alerts", ct);
        var select = await page.HandlerAsync("alert-repeat", "change");
        var before = await host.RepeatSecondsAsync(HostileApp.Attacker);
        var honest = before == 60 ? "15" : "60";

        // Under the hub's 32 KiB message limit, so it reaches the component; far above any option.
        var oversized = new string('9', 20_000);
        object?[] forged = ["7", "-15", "30.0", " 30", "99999999999999999999", null, "", oversized, 15, true];
        foreach (var value in forged)
        {
            await page.ChangeAsync(select, value, ct);
        }

        // Events run in order: once the honest value is stored, every forged one before it was handled.
        await page.ChangeAsync(select, honest, ct);
        Assert.True(await Eventually.TrueWithinAsync(HostileCircuit.InteractiveDeadline,
            () => host.RepeatSecondsAsync(HostileApp.Attacker).Result.ToString(System.Globalization.CultureInfo.InvariantCulture) == honest),
            $"The honest value {honest} was never stored (handler {select}; {page.Handlers}): {page.Recorder.Describe()}");
        Assert.False(page.Closed, $"Refusing a value must not end the page: {page.Recorder.Describe()}");
        // One more after it: the page says it refused (earlier renders may have been coalesced), no new log line.
        await page.ChangeAsync(select, "7", ct);
        Assert.True(await Eventually.TrueWithinAsync(HostileCircuit.InteractiveDeadline, () => page.Recorder.FirstBatchContaining("Choose off, 15, 30 or 60 seconds.") is not null),
            $"The page never said it refused the value: {page.Recorder.Describe()}");
        Assert.Equal(honest, (await host.RepeatSecondsAsync(HostileApp.Attacker)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, host.RefusalLines("alert repeat value", HostileApp.Attacker));
        Assert.DoesNotContain(oversized[..200], host.App.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherMerchantsOrderIsNeitherShownNorDecidedNorAcknowledged()
    {
        var ct = TestContext.Current.CancellationToken;
        var theirs = await host.NewOrderOfAsync(HostileApp.Bystander);
        var mine = await host.NewOrderOfAsync(HostileApp.Attacker);
        var session = await host.SignInAsync(HostileApp.Attacker, ct);

        // In-app navigation to their order: the page finds nothing for this merchant.
        await using (var page = await HostileCircuit.OpenAsync(session, "orders", ct))
        {
            await page.NavigateAsync($"orders/{theirs.Id}", ct);
            Assert.True(await Eventually.TrueWithinAsync(HostileCircuit.InteractiveDeadline, () => page.Recorder.FirstBatchContaining("Order not found.") is not null),
                $"The order page never said not found: {page.Recorder.Describe()}");
            Assert.Null(page.Recorder.FirstBatchContaining(theirs.Customer));
        }

        // On my own New order the Accept and Acknowledge buttons are live; then the route moves to
        // their order and the clicks arrive in the same breath, before any render could reach a browser.
        await using (var page = await HostileCircuit.OpenAsync(session, $"orders/{mine.Id}", ct))
        {
            var accept = await page.HandlerAsync("accept-order", "click");
            await page.NavigateAsync($"orders/{theirs.Id}", ct);
            await page.DispatchAsync(accept, "click", "{}", ct);
            await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(2), () => page.Closed);
        }

        var state = await host.OrderStateAsync(theirs.Id);
        Assert.Equal(OrderStatus.New, state.Status);
        Assert.Null(state.AcknowledgedAt);
        Assert.Equal(OrderStatus.New, (await host.OrderStateAsync(mine.Id)).Status);
        Assert.DoesNotContain(theirs.Customer, host.App.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedDotNetCallsFailAndThePageLivesOn()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await host.SignInAsync(HostileApp.Attacker, ct);
        await using var page = await HostileCircuit.OpenAsync(session, "", ct);
        // The armed check hands js/alerts.js its object reference for Ping, the app's one [JSInvokable].
        // js/alerts.js's init gets it; the renderer's own interop object is handed over first.
        Assert.True(await Eventually.TrueWithinAsync(HostileCircuit.InteractiveDeadline, () => page.DotNetObjects.Any(o => o.Identifier == "init")),
            $"alerts.js's init never got its object reference: {page.Recorder.Describe()}");
        var armed = page.DotNetObjects.First(o => o.Identifier == "init").ObjectId;

        var honest = await page.InvokeDotNetAsync(null, "Ping", armed, "[]", ct);
        // Ping takes nothing, so whatever arguments come with it are never read: answered as usual.
        var ignored = new[]
        {
            await page.InvokeDotNetAsync(null, "Ping", armed, "[1,\"x\",null]", ct),
            await page.InvokeDotNetAsync(null, "Ping", armed, "{\"not\":\"an array\"}", ct),
            await page.InvokeDotNetAsync(null, "Ping", armed, new string('[', 10_000), ct),
        };
        var forged = new[]
        {
            await page.InvokeDotNetAsync(null, "DisposeAsync", armed, "[]", ct),                // public, not [JSInvokable]
            await page.InvokeDotNetAsync(null, "OnOrdersChangedAsync", armed, "[null]", ct),
            await page.InvokeDotNetAsync(null, "Ping", armed + 1000, "[]", ct),                // an object it never got
            await page.InvokeDotNetAsync(null, "Ping", -1, "[]", ct),
            await page.InvokeDotNetAsync("MerchantPortal", "Main", 0, "[[]]", ct),              // static, not [JSInvokable]
            await page.InvokeDotNetAsync("System.Private.CoreLib", "Exit", 0, "[0]", ct),
        };
        var last = await page.InvokeDotNetAsync(null, "Ping", armed, "[]", ct);

        Assert.True(await Eventually.TrueWithinAsync(HostileCircuit.InteractiveDeadline, () => page.Answers.ContainsKey(last) || page.Closed),
            $"The last Ping was never answered: {page.Recorder.Describe()}");
        Assert.Equal("true", page.Answers[honest].ResultOrError);
        Assert.All(ignored, id => Assert.Equal("true", page.Answers[id].ResultOrError));
        Assert.All(forged, id => Assert.False(page.Answers.TryGetValue(id, out var answer) && answer.Succeeded, $"call {id} succeeded: {answer}"));
        Assert.True(page.Answers[last].Succeeded, $"The page stopped answering after forged calls: {page.Answers[last]}");
        Assert.False(page.Closed);
        // The framework's answer to a forged call names no server internals (DetailedErrors off).
        Assert.All(page.Answers.Values.Where(a => !a.Succeeded), a => Assert.DoesNotContain(" at ", a.ResultOrError ?? "", StringComparison.Ordinal));
        // Six forged calls, refused by the framework: one warning naming the user (ForgedCallsLog).
        Assert.True(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(10), () => host.RefusalLines("forged .NET call", HostileApp.Attacker) == 1),
            $"expected one 'forged .NET call' warning for {HostileApp.Attacker}, saw {host.RefusalLines("forged .NET call", HostileApp.Attacker)}:\n{host.App.Output[^Math.Min(4000, host.App.Output.Length)..]}");
    }

    [Fact]
    public async Task ForgedEventsEndOnlyThatCircuit()
    {
        var ct = TestContext.Current.CancellationToken;
        var bystander = await HostileCircuit.OpenAsync(await host.SignInAsync(HostileApp.Bystander, ct), "", ct);
        await using var _ = bystander;
        var session = await host.SignInAsync(HostileApp.Attacker, ct);

        // A removed or never-issued handler id, the id 0, arguments that are not JSON, nested a
        // thousand deep, or not the shape the handler takes.
        (ulong? Handler, string Args)[] forged =
        [
            (999_999, "{\"value\":\"15\"}"), (0, "{\"value\":\"15\"}"), (null, "not json"),
            (null, "{\"value\":" + new string('[', 1_000) + "}"), (null, "{\"value\":{\"nested\":[1,2,3]}}"), (null, "[1,2,3]"),
        ];
        var before = await host.RepeatSecondsAsync(HostileApp.Attacker);
        var outcomes = new List<string>();
        await using var page = await HostileCircuit.OpenAsync(session, "alerts", ct);
        var select = await page.HandlerAsync("alert-repeat", "change");
        foreach (var (handler, args) in forged)
        {
            var call = await page.DispatchAsync(handler ?? select, "change", args, ct);
            Assert.True(await Eventually.TrueWithinAsync(HostileCircuit.InteractiveDeadline, () => page.Answers.ContainsKey(call) || page.Closed),
                $"A forged event ({handler}, {args[..Math.Min(40, args.Length)]}) was neither answered nor ended the circuit: {page.Recorder.Describe()}");
            Assert.False(page.Closed, $"One forged event ended the circuit: {page.Recorder.Describe()}");
            outcomes.Add(page.Answers[call].ToString());
            Assert.False(page.Answers[call].Succeeded, string.Join("\n", outcomes));
        }

        Assert.Equal(before, await host.RepeatSecondsAsync(HostileApp.Attacker));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", outcomes));
        // Six forged events, refused by the framework: one warning naming the user (ForgedCallsLog).
        Assert.True(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(10), () => host.RefusalLines("forged event", HostileApp.Attacker) == 1),
            $"expected one 'forged event' warning for {HostileApp.Attacker}, saw {host.RefusalLines("forged event", HostileApp.Attacker)}:\n{host.App.Output[^Math.Min(4000, host.App.Output.Length)..]}");
        Assert.NotNull(await host.OrderToBatchAsync(HostileApp.Bystander, bystander));
        Assert.False(bystander.Closed);
    }
}
