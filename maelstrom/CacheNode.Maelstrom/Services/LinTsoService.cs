using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Net;

namespace CacheNode.Maelstrom.Services;

/// <summary>Maelstrom's <c>lin-tso</c>: a linearizable source of strictly increasing timestamps.</summary>
internal sealed class LinTsoService(Network network) : ServiceEndpoint("lin-tso", network)
{
    private long _next;

    protected override JsonObject Handle(string src, JsonObject body) =>
        body["type"]?.GetValue<string>() == "ts"
            ? new JsonObject { ["type"] = "ts_ok", ["ts"] = _next++ }
            : Error(10, "lin-tso only answers ts");
}
