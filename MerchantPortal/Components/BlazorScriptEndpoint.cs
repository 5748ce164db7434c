using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace MerchantPortal.Components;

/// <summary>
/// Serves /_framework/blazor.web.js from the copy embedded at build time (see
/// Build/BlazorScript.targets): .NET 10 would serve it as a static web asset from a package
/// this registry lacks. The bytes are read and gzipped once; browsers revalidate by ETag.
/// </summary>
internal static class BlazorScriptEndpoint
{
    public const string Path = "/_framework/blazor.web.js";

    public static void MapBlazorScript(this IEndpointRouteBuilder endpoints)
    {
        var script = Load();
        endpoints.MapGet(Path, (HttpContext context) =>
        {
            var headers = context.Response.GetTypedHeaders();
            headers.ETag = script.ETag;
            headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
            context.Response.Headers.Vary = HeaderNames.AcceptEncoding;
            if (context.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Compare(script.ETag, useStrongComparison: false)))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            var gzip = context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
            if (gzip)
            {
                context.Response.Headers.ContentEncoding = "gzip";
            }

            return Results.Bytes(gzip ? script.Gzipped : script.Plain, "text/javascript");
        }).ExcludeFromDescription();
    }

    private sealed record Script(byte[] Plain, byte[] Gzipped, EntityTagHeaderValue ETag);

    private static Script Load()
    {
        using var resource = typeof(BlazorScriptEndpoint).Assembly.GetManifestResourceStream("blazor.web.js")
            ?? throw new InvalidOperationException("blazor.web.js is not embedded; the build step in Build/BlazorScript.targets did not run.");
        using var plain = new MemoryStream();
        resource.CopyTo(plain);
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.SmallestSize))
        {
            gzip.Write(plain.GetBuffer(), 0, (int)plain.Length);
        }

        var bytes = plain.ToArray();
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexString(SHA256.HashData(bytes))[..16]}\"");
        return new Script(bytes, gzipped.ToArray(), etag);
    }
}
