using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MerchantPortal.Bench.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder in front of the app that can cut every connection (a network drop) and hold or refuse
/// one request, the n-th to start with a given text after <see cref="Arm"/>: what a busy server or one that
/// went away does to a circuit start. HTTP/1.1 sends a small request in one piece, so a request starts a read.
/// </summary>
public sealed class RequestGate : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<TcpClient> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _targetPort;
    private readonly Task _accepting;
    private Rule? _rule;
    private int _seen;

    public RequestGate(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _targetPort = target.Port;
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress { get; }

    /// <summary>From now on the <paramref name="number"/>-th request starting with <paramref name="start"/> is held for <paramref name="hold"/>, or refused (its connection closed) when null.</summary>
    public void Arm(string start, int number, TimeSpan? hold)
    {
        Volatile.Write(ref _seen, 0);
        _rule = new Rule(Encoding.ASCII.GetBytes(start), number, hold);
    }

    /// <summary>Closes every connection so far, both ways.</summary>
    public void Cut()
    {
        while (_connections.TryDequeue(out var connection))
        {
            connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var server = new TcpClient();
        _connections.Enqueue(client);
        _connections.Enqueue(server);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token);
            var toServer = PumpAsync(client.GetStream(), server.GetStream(), gated: true);
            var toClient = PumpAsync(server.GetStream(), client.GetStream(), gated: false);
            await Task.WhenAny(toServer, toClient);
            client.Dispose();
            server.Dispose();
            await Task.WhenAll(toServer, toClient).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A cut, a refusal or the end of the test.
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool gated)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stopping.Token)) > 0)
        {
            if (gated && _rule is { } rule && buffer.AsSpan(0, read).StartsWith(rule.Start) && Interlocked.Increment(ref _seen) == rule.Number)
            {
                if (rule.Hold is not { } hold)
                {
                    return; // refused: the connection closes without an answer
                }

                await Task.Delay(hold, _stopping.Token);
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
        }
    }

    private sealed record Rule(byte[] Start, int Number, TimeSpan? Hold);
}
