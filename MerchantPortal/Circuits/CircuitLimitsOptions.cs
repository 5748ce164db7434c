using System.ComponentModel.DataAnnotations;

namespace MerchantPortal.Circuits;

/// <summary>
/// Limits of the Blazor circuits and of the SignalR hub they ride on, section <c>Circuits</c>.
/// Validated at start. Every default is set here on purpose, with the reason, rather than left to
/// the framework, because each one bounds what a single misbehaving client can make this process
/// hold or do while 10,000 honest tabs share it.
/// </summary>
public sealed class CircuitLimitsOptions
{
    public const string Section = "Circuits";

    /// <summary>
    /// Connected circuits (open tabs) of one user on this node at once; the next StartCircuit is
    /// refused. Circuits retained after a disconnect do not count (a network blip must not lock a
    /// user out; <see cref="DisconnectedMaxRetained"/> bounds those for everyone). Default 20: a merchant keeps one to a handful of tabs open
    /// (dashboard, orders, an order or two, on a PC and a phone), so 20 is never met in honest
    /// use, while one stolen or scripted session cannot hold more than 20 circuits' memory.
    /// </summary>
    [Range(1, 1000)]
    public int MaxPerUser { get; set; } = 20;

    /// <summary>
    /// Messages a second one user's circuits on this node may start together (events, navigations,
    /// .NET calls; not the answers to the server's own sends, see CircuitHubFilter), with bursts up
    /// to five times that; the connection that
    /// goes above it is closed. Per user, so opening a new connection brings no fresh allowance.
    /// Default 100: a tab sends a few a second when a person clicks and a dozen or two when a page
    /// starts (twenty tabs starting together fit the burst), while every event may cost a database
    /// write that other merchants' writes queue behind.
    /// </summary>
    [Range(10, 10_000)]
    public int MaxInboundPerSecond { get; set; } = 100;

    /// <summary>
    /// The largest hub message accepted from a browser; a larger one closes the connection.
    /// Default 32 KiB (SignalR's own): the biggest message an honest tab sends is the first
    /// UpdateRootComponents, which carries the prerendered page's persisted state (a few KiB
    /// here); event arguments and JS answers are far smaller. Larger would let one client make the
    /// server buffer and parse more per message.
    /// </summary>
    [Range(4 * 1024, 1024 * 1024)]
    public long MaxMessageSize { get; set; } = 32 * 1024;

    /// <summary>
    /// Render batches sent and not yet acknowledged by the browser before the server stops sending
    /// more to that circuit (it keeps them for a reconnect). Default 10 (the framework's): a tab
    /// that never acknowledges costs at most ten batches of memory, never a growing queue.
    /// </summary>
    [Range(1, 100)]
    public int MaxUnacknowledgedRenderBatches { get; set; } = 10;

    /// <summary>
    /// Disconnected circuits this node keeps for a reconnect. Default 1,000 (the framework's 100 is
    /// too few for a node serving thousands of tabs whose network blinks at once); beyond it the
    /// oldest are dropped and those tabs reload into a new circuit showing the database's state,
    /// so the bound costs a page load, never an alert.
    /// </summary>
    [Range(0, 100_000)]
    public int DisconnectedMaxRetained { get; set; } = 1000;

    /// <summary>
    /// How long a disconnected circuit is kept for a reconnect. Default 3 minutes (the
    /// framework's): tabs retry at most 30 s apart, so a short outage resumes the same circuit;
    /// after a longer one the tab reloads and loses nothing (counts are read from the database).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan DisconnectedRetention { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long the server awaits a browser's answer to a JS call. Default 30 s: every call here
    /// answers in milliseconds (an import, the time zone, a chime), so a client that never answers
    /// holds the awaiting component for 30 s rather than the framework's minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan JSInteropTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the server pings an idle connection. Default 15 s (SignalR's, and what the
    /// README's proxy timeouts are sized for).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A connection the server has heard nothing from for this long is closed. Default 30 s
    /// (twice the browser's 15 s ping, SignalR's rule); a silent client holds its socket no longer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:10:00")]
    public TimeSpan ClientTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a new connection may take to send the protocol handshake. Default 15 s
    /// (SignalR's): an open socket that never says which protocol it speaks is closed after it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Connections (TCP, each one open file) this process keeps at once; the next one is closed as
    /// soon as it is accepted. Unset: the process's open-file limit minus
    /// <see cref="ReservedFileDescriptors"/>, so a node full of tabs refuses the next tab instead of
    /// running out of file descriptors (.NET then aborts the whole process with "Out of memory.",
    /// dropping every tab it held; measured in BENCHMARKS.md). Every open tab is one connection.
    /// </summary>
    [Range(1, 10_000_000)]
    public int? MaxConnections { get; set; }

    /// <summary>
    /// Open files kept for everything but connections when <see cref="MaxConnections"/> is derived
    /// from the open-file limit. Default 1,024: the app opens about 360 at start (assemblies, the
    /// runtime's own), and a database pool adds up to 100 more.
    /// </summary>
    [Range(64, 1_000_000)]
    public int ReservedFileDescriptors { get; set; } = 1024;

    /// <summary>
    /// Whether forged calls the framework refuses are logged as warnings (<see cref="ForgedCallsLog"/>).
    /// Default true. Listening costs a little on every JS call and event, because the framework then
    /// builds its Debug log state for the two circuit categories; false drops that cost and the
    /// warnings with it (what it costs is measured in BENCHMARKS.md).
    /// </summary>
    public bool LogForgedCalls { get; set; } = true;
}
