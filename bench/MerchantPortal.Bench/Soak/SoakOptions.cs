namespace MerchantPortal.Bench.Soak;

/// <summary>The soak command's arguments, validated before anything touches the network.</summary>
public sealed record SoakOptions(Uri Url, int AppPid, string Database, IReadOnlyList<string> Merchants, string Password)
{
    public const string Usage =
        "usage: MerchantPortal.Bench soak --url <http://host:port> --app-pid <pid> --database <app.db> " +
        "[--cycles 100000] [--concurrency 200] [--orders-per-second 10] [--hold 1s] [--warmup 400] [--heap-tolerance 10] " +
        "[--merchants a@x,b@y | --bench-merchants <M>] [--password <pw>]";

    /// <summary>Circuits opened and closed in all, warm-up included.</summary>
    public int Cycles { get; init; } = 100_000;

    /// <summary>Circuits open at a time: each of this many workers opens, holds and closes one after another.</summary>
    public int Concurrency { get; init; } = 200;

    public int OrdersPerSecond { get; init; } = 10;

    /// <summary>How long a circuit stays open after its first render (each gets between half and all of it).</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Cycles before the starting readings: the first circuits fill caches, pools and JIT code that stay for
    /// the app's life, and the invariants are about what churn leaves behind, not about a cold start.
    /// </summary>
    public int Warmup { get; init; } = 400;

    /// <summary>
    /// How far (percent) the heap may end above its start: the 10 by default. A short run on a young
    /// app (a 25 MiB heap) swings more than that either way between readings; whole leaked circuits
    /// (120-400 KiB each) still show at a looser bound over a few hundred cycles.
    /// </summary>
    public int HeapTolerancePercent { get; init; } = 10;

    private static readonly string[] Names =
        ["--url", "--app-pid", "--database", "--cycles", "--concurrency", "--orders-per-second", "--hold", "--warmup", "--heap-tolerance", "--merchants", "--bench-merchants", "--password"];

    /// <summary>Parses <c>--name value</c> pairs; returns null and an error for anything malformed or unknown.</summary>
    public static SoakOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        var values = CommandLineArgs.Parse(args, Names, out error);
        if (values is null)
        {
            return null;
        }

        if (!values.TryGetValue("--url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = "--url must be an absolute http(s) address, e.g. http://127.0.0.1:5300";
            return null;
        }

        if (!CommandLineArgs.TryPositive(values, "--app-pid", null, ref error, out var pid)
            || !CommandLineArgs.TryPositive(values, "--cycles", 100_000, ref error, out var cycles)
            || !CommandLineArgs.TryPositive(values, "--concurrency", 200, ref error, out var concurrency)
            || !CommandLineArgs.TryPositive(values, "--orders-per-second", 10, ref error, out var rate)
            || !CommandLineArgs.TryPositive(values, "--warmup", 400, ref error, out var warmup)
            || !CommandLineArgs.TryPositive(values, "--bench-merchants", 0, ref error, out var benchMerchants)
            || !CommandLineArgs.TryPositive(values, "--heap-tolerance", 10, ref error, out var heapTolerance))
        {
            return null;
        }

        var hold = TimeSpan.FromSeconds(1);
        if (values.TryGetValue("--hold", out var holdText) && (!CommandLineArgs.TryParseDuration(holdText, out hold) || hold <= TimeSpan.Zero))
        {
            error = $"--hold must be a duration like 1s or 500ms, not '{holdText}'";
            return null;
        }

        if (warmup >= cycles)
        {
            error = $"--warmup ({warmup}) must be below --cycles ({cycles})";
            return null;
        }

        if (!values.TryGetValue("--database", out var database) || !File.Exists(database))
        {
            error = "--database must name the app's SQLite file (the soak writes its orders there)";
            return null;
        }

        if (values.ContainsKey("--merchants") && benchMerchants > 0)
        {
            error = "--merchants and --bench-merchants exclude each other";
            return null;
        }

        // Orders are spread over the merchants: a merchant given more than about 0.6 orders/s queues
        // its toasts (5 shown at once, 8 s each), and a queued order reaches the page late by design.
        string[] merchants = benchMerchants > 0 ? [.. Sweep.BenchAccounts.Emails(benchMerchants)]
            : [.. (values.GetValueOrDefault("--merchants") ?? "merchant1@demo.local,merchant2@demo.local")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase)];
        if (merchants.Length == 0)
        {
            error = "--merchants needs at least one email";
            return null;
        }

        // A trailing slash makes relative paths ("Account/Login", "_blazor") resolve under the base.
        var baseUri = uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
        return new SoakOptions(baseUri, pid, database, merchants, values.GetValueOrDefault("--password") ?? "Demo!2345")
        {
            Cycles = cycles,
            Concurrency = concurrency,
            OrdersPerSecond = rate,
            Hold = hold,
            Warmup = warmup,
            HeapTolerancePercent = heapTolerance,
        };
    }
}
