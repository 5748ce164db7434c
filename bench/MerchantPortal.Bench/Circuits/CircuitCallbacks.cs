namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// What a harness wants to hear about. One instance can serve every client (the client is passed
/// along), so 10,000 circuits cost 10,000 references, not 10,000 sets of delegates. Callbacks run on
/// the receive loop: keep them short and never block.
/// </summary>
public sealed class CircuitCallbacks
{
    public Action<CircuitClient, RenderBatchReceived>? RenderBatch { get; init; }

    /// <summary>
    /// The batch's bytes too, for a harness that must tell which batch carries its change (the render
    /// batch's string table holds the rendered text as UTF-8). The span is only valid during the call.
    /// </summary>
    public RenderBatchInspector? RenderBatchBytes { get; init; }

    /// <summary>The identifier of every JS.BeginInvokeJS the server made.</summary>
    public Action<CircuitClient, string>? JSInvoked { get; init; }

    /// <summary>The identifier and the arguments' JSON of every JS.BeginInvokeJS (a hostile client reads object references there).</summary>
    public Action<CircuitClient, string, string?>? JSInvokedWithArguments { get; init; }

    /// <summary>
    /// The result of a JS call by its identifier, as JSON ("\"Asia/Tokyo\""); without it, or when it returns
    /// null, every call is answered with a null result like a page that never looks at them.
    /// </summary>
    public Func<CircuitClient, string, string?>? JSResult { get; init; }

    /// <summary>JS.Error: the server reports an unhandled circuit exception before it tears the circuit down.</summary>
    public Action<CircuitClient, string>? ServerError { get; init; }

    /// <summary>JS.EndInvokeDotNet: the server's answer to a BeginInvokeDotNetFromJS call.</summary>
    public Action<CircuitClient, DotNetAnswer>? DotNetAnswered { get; init; }

    /// <summary>JS.EndUpdateRootComponents with the operation batch id it confirms.</summary>
    public Action<CircuitClient, long>? RootComponentsUpdated { get; init; }

    /// <summary>Raised once, whatever ended the connection.</summary>
    public Action<CircuitClient, CircuitClosed>? Closed { get; init; }
}
