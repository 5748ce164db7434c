namespace MerchantPortal.Bench.Probe;

/// <summary>The probe command's arguments, validated before anything touches the network.</summary>
public sealed record ProbeOptions(
    Uri Url,
    int Circuits,
    int? AppPid,
    IReadOnlyList<string> Merchants,
    string Password,
    int Concurrency,
    TimeSpan Hold,
    TimeSpan FirstRenderDeadline)
{
    private const string AnonymousFlag = "--anonymous";

    private static readonly string[] Names =
        ["--url", "--circuits", "--app-pid", "--merchants", "--bench-merchants", "--password", "--concurrency",
         "--hold", "--deadline", "--database", "--write-rate", "--write-for", "--path"];

    public const string Usage =
        "usage: MerchantPortal.Bench probe --url <http://host:port> --circuits <N> [--app-pid <pid>] " +
        "[--merchants a@x,b@y | --bench-merchants <M> | --anonymous] [--password <pw>] [--path /] [--concurrency 50] [--hold 20s] " +
        "[--deadline 30s] [--database <app.db> --write-rate <orders/s> [--write-for 60s]]";

    /// <summary>
    /// The app's database, written by the probe's order writer: a SQLite file, or a connection string when
    /// <see cref="DatabaseProvider"/> is PostgreSQL; null means no write phase.
    /// </summary>
    public string? Database { get; init; }

    public MerchantPortal.Data.DatabaseProvider DatabaseProvider { get; init; } = MerchantPortal.Data.DatabaseProvider.Sqlite;

    /// <summary>Orders per second the writer inserts for random signed-in merchants: one write window per rate, in this order.</summary>
    public IReadOnlyList<int> WriteRates { get; init; } = [];

    public TimeSpan WriteFor { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many merchants sign in at once (each sign-in is a deliberately slow password hash on the app).</summary>
    public int SignInConcurrency { get; init; } = 4;

    /// <summary>
    /// Open circuits without signing in (no merchants, an empty cookie jar): for apps without the portal's
    /// login, such as the floor reference bench/MinimalCircuit.
    /// </summary>
    public bool Anonymous { get; init; }

    /// <summary>The page each circuit loads, relative to <see cref="Url"/> ("" is its root; <c>--path /orders</c> gives "orders").</summary>
    public string PagePath { get; init; } = "";

    /// <summary>Parses <c>--name value</c> pairs; returns null and an error for anything malformed or unknown.</summary>
    public static ProbeOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        // The one flag, --anonymous, takes no value: the next argument is the next name.
        var values = CommandLineArgs.Parse(args, Names, out error, AnonymousFlag);
        if (values is null)
        {
            return null;
        }

        if (!values.TryGetValue("--url", out var url)
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = "--url must be an absolute http(s) address, e.g. http://127.0.0.1:5300";
            return null;
        }

        if (!CommandLineArgs.TryPositive(values, "--circuits", null, ref error, out var circuits)
            || !CommandLineArgs.TryPositive(values, "--concurrency", 50, ref error, out var concurrency)
            || !CommandLineArgs.TryPositive(values, "--app-pid", 0, ref error, out var pid)
            || !CommandLineArgs.TryDuration(values, "--hold", TimeSpan.FromSeconds(20), ref error, out var hold)
            || !CommandLineArgs.TryDuration(values, "--deadline", TimeSpan.FromSeconds(30), ref error, out var deadline)
            || !CommandLineArgs.TryPositive(values, "--bench-merchants", 0, ref error, out var benchMerchants)
            || !CommandLineArgs.TryPositive(values, "--write-rate", 0, ref error, out var writeRate)
            || !CommandLineArgs.TryDuration(values, "--write-for", TimeSpan.FromSeconds(60), ref error, out var writeFor))
        {
            return null;
        }

        if (values.ContainsKey("--merchants") && benchMerchants > 0)
        {
            error = "--merchants and --bench-merchants exclude each other";
            return null;
        }

        if (benchMerchants > Sweep.BenchAccounts.MaxMerchants)
        {
            error = $"--bench-merchants must be at most {Sweep.BenchAccounts.MaxMerchants}";
            return null;
        }

        var anonymous = values.ContainsKey(AnonymousFlag);
        if (anonymous && values.Keys.FirstOrDefault(n => n is "--merchants" or "--bench-merchants" or "--password"
            or "--database" or "--write-rate" or "--write-for") is { } signedInOnly)
        {
            // The order writer needs the merchants whose circuits it times, so it needs sign-ins too.
            error = $"{AnonymousFlag} and {signedInOnly} exclude each other: {signedInOnly} is about signed-in merchants";
            return null;
        }

        if (!TryPagePath(values.GetValueOrDefault("--path") ?? "/", out var pagePath))
        {
            error = $"--path must be a path on the app starting with '/', e.g. / or /orders, not '{values["--path"]}'";
            return null;
        }

        var database = values.GetValueOrDefault("--database");
        if ((writeRate > 0) != (database is not null))
        {
            error = "--write-rate and --database go together: the writer inserts into the app's database file";
            return null;
        }

        if (database is not null && !File.Exists(database))
        {
            error = $"--database {database}: no such file";
            return null;
        }

        string[] merchants = anonymous ? []
            : benchMerchants > 0
            ? [.. Sweep.BenchAccounts.Emails(benchMerchants)]
            : (values.GetValueOrDefault("--merchants") ?? "merchant1@demo.local")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToArray();
        if (merchants.Length == 0 && !anonymous)
        {
            error = "--merchants needs at least one email";
            return null;
        }

        // A trailing slash makes relative paths ("Account/Login", "_blazor") resolve under the base.
        var baseUri = uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
        return new ProbeOptions(baseUri, circuits, pid == 0 ? null : pid, merchants,
            values.GetValueOrDefault("--password") ?? "Demo!2345", concurrency, hold, deadline)
        {
            Database = database,
            WriteRates = writeRate > 0 ? [writeRate] : [],
            WriteFor = writeFor,
            Anonymous = anonymous,
            PagePath = pagePath,
        };
    }

    /// <summary>"/" or "/orders/7" becomes "" or "orders/7": relative, so it resolves under a base <c>--url</c> with a path.</summary>
    private static bool TryPagePath(string text, out string relative)
    {
        relative = text.Length > 0 ? text[1..] : "";
        return text.StartsWith('/') && !text.StartsWith("//", StringComparison.Ordinal)
            && Uri.TryCreate(relative, UriKind.Relative, out _);
    }
}
