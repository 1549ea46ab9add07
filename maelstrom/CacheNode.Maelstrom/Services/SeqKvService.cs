using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Net;

namespace CacheNode.Maelstrom.Services;

/// <summary>
/// Maelstrom's <c>seq-kv</c>: <c>(sequential (persistent-kv))</c>. It keeps the last 32 states. Each
/// request is first tried on a state picked at random between the newest and the one its client last
/// used; if that leaves the state as it was (a read, a failed cas, or a write of the value that state
/// already held) its reply stands. Otherwise the request is applied again to the newest state and the
/// result becomes the new newest. So reads lag at random, each client's view only moves forward, and an
/// update can be answered from the past: a write of an old value can succeed without touching the
/// newest state, and a cas can fail against an old value although it would succeed now.
/// </summary>
internal sealed class SeqKvService(Network network, Random random) : ServiceEndpoint("seq-kv", network)
{
    /// <summary>Maelstrom's ring-buffer size (<c>(sequential 32 persistent-service)</c>).</summary>
    public const int StatesKept = 32;

    // State number i lives at i % StatesKept while it is one of the newest StatesKept.
    private readonly PersistentKv[] _states = CreateStates();
    private readonly Dictionary<string, long> _clientIndex = new(StringComparer.Ordinal);

    /// <summary>
    /// The number of the newest state: 0 at first, one more for each request that changed the state it was
    /// tried on (its redo on the newest is appended even when that changes nothing).
    /// </summary>
    public long LastIndex { get; private set; }

    /// <summary>The value the newest state holds under <paramref name="key"/> (its JSON text), for tests and diagnostics.</summary>
    public (bool Found, JsonNode? Value) PeekNewest(string key) =>
        StateAt(LastIndex).TryGet(JsonDatum.Parse(key), out var value) ? (true, value.ToNode()) : (false, null);

    protected override JsonObject? Handle(string src, JsonObject body)
    {
        // Maelstrom picks uniformly from [client-index, last-index]. A client that made no request for over
        // 32 updates has its index below the oldest state kept; Maelstrom's ring buffer (amalloy/ring-buffer
        // 1.3.1, whose nth takes the offset modulo its length) then silently wraps to the kept state with the
        // same remainder, which may be newer than what the client's next pick reads, so such a client's view
        // can go backwards. StateAt takes the index modulo the states kept, which is that same wrap: this
        // runner does what Maelstrom does.
        var low = _clientIndex.GetValueOrDefault(src);
        var index = low + random.NextInt64(LastIndex - low + 1);
        var picked = StateAt(index);
        if (picked.Handle(body) is not (var speculative, var speculativeReply))
        {
            return null;
        }

        // service.clj's (= service service'): PersistentKv hands back the same state exactly when the
        // request leaves it equal.
        if (ReferenceEquals(speculative, picked))
        {
            // Nothing changed, so answering from the past cannot break the total order.
            _clientIndex[src] = index;
            return speculativeReply;
        }

        // Taking effect on an old state could fork the history: redo it on the newest and append the result.
        var (next, reply) = StateAt(LastIndex).Handle(body)!.Value;
        LastIndex++;
        _states[LastIndex % StatesKept] = next;
        _clientIndex[src] = LastIndex;
        return reply;
    }

    private PersistentKv StateAt(long index) => _states[index % StatesKept];

    private static PersistentKv[] CreateStates()
    {
        var states = new PersistentKv[StatesKept];
        states[0] = PersistentKv.Empty;
        return states;
    }
}
