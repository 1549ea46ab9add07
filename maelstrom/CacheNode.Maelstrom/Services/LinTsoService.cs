using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Net;

namespace CacheNode.Maelstrom.Services;

/// <summary>
/// Maelstrom's <c>lin-tso</c>: <c>(linearizable (persistent-tso))</c>, a timestamp oracle answering each
/// <c>ts</c> request with the next integer, starting at 0.
/// </summary>
internal sealed class LinTsoService(Network network) : ServiceEndpoint("lin-tso", network)
{
    private long _next;

    // PersistentTSO's case has only "ts": anything else throws in Maelstrom and gets no reply.
    protected override JsonObject? Handle(string src, JsonObject body) =>
        ServiceBodies.TypeOf(body) == "ts"
            ? new JsonObject { ["type"] = "ts_ok", ["ts"] = _next++ }
            : null;
}
