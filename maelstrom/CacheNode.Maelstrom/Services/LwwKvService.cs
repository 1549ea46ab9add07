using System.Text.Json.Nodes;
using CacheNode.Maelstrom.Net;

namespace CacheNode.Maelstrom.Services;

/// <summary>
/// Maelstrom's <c>lww-kv</c>: <c>(eventual (lww-kv))</c>, two independent <see cref="LwwKv"/> replicas, each
/// request applied to one of them picked at random. The replicas never converge: a value written to one
/// is missing from (or older on) the other for the rest of the run, and every read is a coin toss
/// between them.
/// </summary>
internal sealed class LwwKvService(Network network, Random random) : ServiceEndpoint("lww-kv", network)
{
    /// <summary>Maelstrom's replica count (<c>(eventual 2 persistent-service)</c>).</summary>
    public const int Replicas = 2;

    private readonly LwwKv[] _replicas = [.. Enumerable.Repeat(LwwKv.Empty, Replicas)];

    protected override JsonObject? Handle(string src, JsonObject body)
    {
        // service.clj's Eventual merges one random replica into another and binds the result to replicas',
        // then binds replicas' again as (assoc replicas i replica'): assoc onto the original replicas, so
        // the merge is thrown away and only the replica the request went to ever changes. Maelstrom
        // 0.2.x really behaves so, hence no merge here at all.
        var i = random.Next(Replicas);
        if (_replicas[i].Handle(body) is not (var next, var reply))
        {
            return null;
        }

        _replicas[i] = next;
        return reply;
    }
}
