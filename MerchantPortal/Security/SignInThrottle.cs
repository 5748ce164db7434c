using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Security;

/// <summary>
/// Throttles sign-in attempts per client address and per account name, in front of Identity's
/// lockout (which only counts failures of one existing account, so it never slows a spray of one
/// password over many accounts). The limiters are .NET's own (System.Threading.RateLimiting, the
/// ones Microsoft.AspNetCore.RateLimiting's middleware runs); they are called here rather than
/// from that middleware because its partitioner runs before the endpoint, synchronously, and so
/// cannot read the posted account name without blocking on the request body.
/// </summary>
/// <remarks>
/// Memory stays bounded: a partitioned limiter drops a partition once its bucket has been full
/// (idle) for 10 s, so an account-name partition lives at most about one Window after its last
/// attempt. And the account limiter is consulted only after the address limiter let the attempt
/// through, so one address can create at most about PerAddress account partitions per Window,
/// however many names it invents.
/// </remarks>
public sealed class SignInThrottle : IDisposable
{
    // Longer than any e-mail Identity stores (256): a longer name is cut, not kept whole.
    private const int MaxAccountKeyLength = 256;

    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perAccount;
    // One permit per window and partition: the warning is logged once per window per throttled
    // address or account, not once per rejected request (a spray would flood the log).
    private readonly PartitionedRateLimiter<string> _logOnce;
    private readonly SignInThrottleOptions _options;
    private readonly ILogger<SignInThrottle> _logger;

    public SignInThrottle(IOptions<SignInThrottleOptions> options, ILogger<SignInThrottle> logger)
    {
        _options = options.Value;
        _logger = logger;
        _perAddress = Buckets(_options.PerAddress, _options.Window);
        _perAccount = Buckets(_options.PerAccount, _options.Window);
        _logOnce = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = 1,
            Window = _options.Window,
            QueueLimit = 0,
        }));
    }

    /// <summary>Null when the attempt may go ahead; otherwise how long the client should wait.</summary>
    public TimeSpan? Attempt(IPAddress? client, string accountName)
    {
        var address = PartitionOf(client);
        using (var lease = _perAddress.AttemptAcquire(address))
        {
            if (!lease.IsAcquired)
            {
                return Rejected(lease, "address", address, _options.PerAddress);
            }
        }

        // Identity compares e-mails upper-cased (UpperInvariantLookupNormalizer): "A@x" and
        // "a@x " are one account, so they share one budget.
        var account = accountName.Trim().ToUpperInvariant();
        account = account.Length > MaxAccountKeyLength ? account[..MaxAccountKeyLength] : account;
        using (var lease = _perAccount.AttemptAcquire(account))
        {
            return lease.IsAcquired ? null : Rejected(lease, "account", account, _options.PerAccount);
        }
    }

    /// <summary>
    /// An IPv4 address as is; an IPv6 address by its /64, which one subscriber usually gets whole
    /// and could otherwise walk through, a fresh address per attempt.
    /// </summary>
    internal static string PartitionOf(IPAddress? client)
    {
        if (client is null)
        {
            return "unknown";
        }

        if (client.IsIPv4MappedToIPv6)
        {
            return client.MapToIPv4().ToString();
        }

        if (client.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return client.ToString();
        }

        var bytes = client.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private TimeSpan Rejected(RateLimitLease lease, string partition, string key, int limit)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _options.Window;
        using var log = _logOnce.AttemptAcquire(partition + ":" + key);
        if (log.IsAcquired)
        {
            _logger.LogWarning(
                "Sign-in attempts throttled for {Partition} {Key}: more than {Limit} per {Window}; rejections are logged once per window",
                partition, key, limit.ToString(CultureInfo.InvariantCulture), _options.Window);
        }

        return retryAfter;
    }

    private static PartitionedRateLimiter<string> Buckets(int limit, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit,
            TokensPerPeriod = 1,
            // One attempt back every window/limit: a steady client gets `limit` per window, and a
            // throttled one is told to wait for the next token, not for a whole window.
            ReplenishmentPeriod = window / limit,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        _perAddress.Dispose();
        _perAccount.Dispose();
        _logOnce.Dispose();
    }
}
