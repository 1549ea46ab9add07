namespace CacheNode.Maelstrom.History;

/// <summary>The operations of Maelstrom's lin-kv workload on one register (key).</summary>
internal enum OpKind
{
    Read,
    Write,
    Cas,
}
