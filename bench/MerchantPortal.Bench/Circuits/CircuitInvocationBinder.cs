using System.Text;
using Microsoft.AspNetCore.SignalR;

namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// Tells the MessagePack protocol the argument types of the server-to-client calls the circuit client
/// handles, as blazor.web.js's handlers take them, and the result type of the one invocation it makes
/// (StartCircuit, a string). A call of any other target fails to bind and arrives as an
/// <see cref="Microsoft.AspNetCore.SignalR.Protocol.InvocationBindingFailureMessage"/>, which the client
/// ignores as blazor.web.js ignores targets it has no handler for.
/// </summary>
internal sealed class CircuitInvocationBinder : IInvocationBinder
{
    public const string RenderBatch = "JS.RenderBatch";
    public const string BeginInvokeJS = "JS.BeginInvokeJS";
    public const string EndUpdateRootComponents = "JS.EndUpdateRootComponents";
    public const string Error = "JS.Error";
    public const string EndInvokeDotNet = "JS.EndInvokeDotNet";

    /// <summary>
    /// JS.BeginInvokeJS(asyncHandle, identifier, argsJson, resultType, targetInstanceId, callType): .NET 10
    /// added the call type (invoke, construct, get or set a value) to the five arguments of earlier versions.
    /// </summary>
    private static readonly Dictionary<string, Type[]> Targets = new(StringComparer.Ordinal)
    {
        [RenderBatch] = [typeof(long), typeof(byte[])],
        [BeginInvokeJS] = [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)],
        [EndUpdateRootComponents] = [typeof(long)],
        [Error] = [typeof(string)],
        // JS.EndInvokeDotNet(callId, succeeded, resultJsonOrError): the answer to BeginInvokeDotNetFromJS.
        [EndInvokeDotNet] = [typeof(string), typeof(bool), typeof(string)],
    };

    private static readonly (byte[] Utf8, string Name)[] KnownNames =
        [.. Targets.Keys.Select(name => (Encoding.UTF8.GetBytes(name), name))];

    public static CircuitInvocationBinder Instance { get; } = new();

    /// <summary>True for the targets whose binding failure is a protocol error rather than an unknown call.</summary>
    public static bool Handles(string target) => Targets.ContainsKey(target);

    public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
        Targets.TryGetValue(methodName, out var types)
            ? types
            : throw new InvalidOperationException($"The circuit client has no handler for {methodName}.");

    /// <summary>
    /// StartCircuit (the circuit id, a string) and ConnectCircuit (a bool, CircuitClient.Reconnect.cs) are
    /// invoked with an id; MessagePack reads either as what it is.
    /// </summary>
    public Type GetReturnType(string invocationId) => typeof(object);

    public Type GetStreamItemType(string streamId) =>
        throw new InvalidOperationException("The circuit client opens no streams.");

    /// <summary>
    /// Returns the interned name of a known target, so the render batches that make up most of the traffic
    /// do not each allocate their target string.
    /// </summary>
    public string? GetTarget(ReadOnlySpan<byte> utf8Bytes)
    {
        foreach (var (utf8, name) in KnownNames)
        {
            if (utf8Bytes.SequenceEqual(utf8))
            {
                return name;
            }
        }

        return null;
    }
}
