using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace MerchantPortal.Nodes;

/// <summary>Settings of this app process as one node of several, section <c>Node</c>. Validated at start.</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>
    /// This node's name in the start-up line, the logs, telemetry, the X-Portal-Node response
    /// header and the admin's Nodes view. Default: the host name and the port of the first
    /// <c>--urls</c> address ("web1:5080"), which is unique per process on one host. Set it when
    /// nodes run in containers whose host names change on every deploy.
    /// </summary>
    [MaxLength(100)]
    public string? Name { get; set; }

    /// <summary>How often this node writes its heartbeat row. Default 5 s; 1 s to 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A node whose last heartbeat is older than this is shown as gone (crashed or cut off).
    /// Default 30 s; at least two heartbeats, so one slow write does not flap the view.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan GoneAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The configured name, or the host name and the port of the first configured URL.</summary>
    public static string ResolveName(string? configured, string? urls)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }

        // Kestrel's own default when no URL is configured.
        var port = 5000;
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is not null)
        {
            // "http://+:80" and "http://*:80" are not valid URIs; the port is all that is needed.
            var hostless = first.Replace("://+", "://host", StringComparison.Ordinal).Replace("://*", "://host", StringComparison.Ordinal);
            if (Uri.TryCreate(hostless, UriKind.Absolute, out var uri))
            {
                port = uri.Port;
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{port}");
    }
}
