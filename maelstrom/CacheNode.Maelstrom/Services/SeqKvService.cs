using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Net;

namespace CacheNode.Maelstrom.Services;

/// <summary>
/// Maelstrom's <c>seq-kv</c>: sequentially consistent. All updates apply, in one total order, to the
/// newest state; a read may be served from an older state, but never one older than what that client
/// has already observed or written (each client's view only moves forward). Staleness is what this
/// service exists to expose, so reads lag on purpose, at random.
/// </summary>
internal sealed class SeqKvService(Network network, Random random) : ServiceEndpoint("seq-kv", network)
{
    private const int MaxHistory = 64;

    // Snapshots of the whole map after each update, newest last; index = version - _firstVersion.
    private readonly List<Dictionary<string, JsonNode?>> _versions = [new(StringComparer.Ordinal)];
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private long _firstVersion;

    private long Latest => _firstVersion + _versions.Count - 1;

    protected override JsonObject Handle(string src, JsonObject body)
    {
        var seen = Math.Max(_seen.GetValueOrDefault(src), _firstVersion);
        if (KeyValueState.IsWrite(body))
        {
            var next = new Dictionary<string, JsonNode?>(_versions[^1], StringComparer.Ordinal);
            var reply = KeyValueState.Apply(next, body);
            if (reply["type"]?.GetValue<string>() != "error")
            {
                _versions.Add(next);
                if (_versions.Count > MaxHistory)
                {
                    _versions.RemoveAt(0);
                    _firstVersion++;
                }
            }

            _seen[src] = Latest;
            return reply;
        }

        // A read: any state from what this client last saw up to the newest.
        var version = seen + (long)(random.NextDouble() * (Latest - seen + 1));
        version = Math.Min(version, Latest);
        _seen[src] = version;
        return KeyValueState.Apply(_versions[(int)(version - _firstVersion)], body);
    }
}
