using System.Collections.Concurrent;
using System.Net;
using System.Text;
using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Tests.Telemetry;

/// <summary>
/// A minimal OTLP/HTTP collector on a free loopback port: it keeps every POST (path and body) and
/// answers 200 with an empty protobuf body, which is a valid, fully accepted export response.
/// The bodies are protobuf, which keeps strings (metric names, resource attributes, URL paths)
/// as plain UTF-8 bytes, so a test can look for them without decoding the message.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _posts = new();
    private readonly Task _loop;

    public OtlpReceiver()
    {
        Endpoint = AppProcess.FreeLoopbackAddress();
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The value for OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/metrics etc.).</summary>
    public Uri Endpoint { get; }

    /// <summary>The paths of every POST so far, for failure messages.</summary>
    public string Summary => string.Join(", ", _posts.GroupBy(p => p.Path).Select(g => $"{g.Key} x{g.Count()}"));

    /// <summary>True once one POST to <paramref name="path"/> carried every one of <paramref name="texts"/>.</summary>
    public bool Received(string path, params string[] texts) =>
        _posts.Any(p => p.Path == path && texts.All(t => Contains(p.Body, t)));

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _posts.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.ContentLength64 = 0;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
