using System.Text.Json;
using System.Text.RegularExpressions;

namespace MerchantPortal.Bench.Circuits;

/// <summary>
/// What a browser's circuit needs from a prerendered page: the server component start markers
/// (raw JSON, in sequence order) and the protected application state. The HTML itself is dropped.
/// </summary>
public sealed partial class PrerenderedPage
{
    private PrerenderedPage(Uri uri, IReadOnlyList<string> markers, string applicationState)
    {
        Uri = uri;
        Markers = markers;
        ApplicationState = applicationState;
    }

    /// <summary>The page's address, sent to StartCircuit as the location the circuit navigates to.</summary>
    public Uri Uri { get; }

    /// <summary>
    /// Start markers of type "server" exactly as the server wrote them (the descriptor inside is
    /// data-protected, so they are relayed verbatim), sorted by their "sequence".
    /// </summary>
    public IReadOnlyList<string> Markers { get; }

    /// <summary>The Blazor-Server-Component-State comment's value; empty when the page has none.</summary>
    public string ApplicationState { get; }

    public static async Task<PrerenderedPage> LoadAsync(MerchantSession session, string path = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var uri = new Uri(session.BaseAddress, path);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = await session.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode != 200)
        {
            // A 302 to the login page here means the cookie did not sign the session in.
            throw new InvalidOperationException($"GET {uri} answered {(int)response.StatusCode}, not 200.");
        }

        return Parse(uri, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <exception cref="FormatException">A marker is not JSON, or a start marker has no matching end marker.</exception>
    public static PrerenderedPage Parse(Uri uri, string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var starts = new List<(long Sequence, string Json, string PrerenderId)>();
        var ends = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in MarkerComment().Matches(html))
        {
            var json = match.Groups[1].Value;
            using var document = ParseJson(json);
            var root = document.RootElement;
            var prerenderId = root.TryGetProperty("prerenderId", out var id) ? id.GetString() ?? "" : "";
            if (!root.TryGetProperty("type", out var type))
            {
                // End markers carry only the prerenderId of their start marker.
                ends.Add(prerenderId);
                continue;
            }

            if (type.GetString() != "server")
            {
                continue; // WebAssembly or auto components are not the circuit's business.
            }

            starts.Add((root.GetProperty("sequence").GetInt64(), json, prerenderId));
        }

        foreach (var start in starts)
        {
            if (start.PrerenderId.Length > 0 && !ends.Contains(start.PrerenderId))
            {
                throw new FormatException($"The start marker {start.PrerenderId} has no end marker.");
            }
        }

        starts.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        var state = StateComment().Match(html);
        return new PrerenderedPage(uri, starts.ConvertAll(s => s.Json), state.Success ? state.Groups[1].Value : "");
    }

    private static JsonDocument ParseJson(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"A Blazor marker comment is not JSON: {e.Message}", e);
        }
    }

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex MarkerComment();

    [GeneratedRegex(@"<!--\s*Blazor-Server-Component-State:([A-Za-z0-9+/=]+)\s*-->")]
    private static partial Regex StateComment();
}
