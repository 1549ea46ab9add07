using CacheNode.Configuration;
using CacheNode.Diagnostics;
using CacheNode.Protocol;

namespace CacheNode.Runtime;

/// <summary>The services every handler may use, and the runtime once <c>init</c> has created it.</summary>
internal sealed class NodeContext
{
    private NodeRuntime? _runtime;

    public NodeContext(NodeOptions options, NodeServices services, MessageWriter writer, CancellationToken lifetime)
    {
        Options = options;
        Services = services;
        Writer = writer;
        Lifetime = lifetime;
        Rpc = new RpcClient(writer, () => _runtime?.NodeId ?? string.Empty, services.Time);
    }

    public NodeOptions Options { get; }

    /// <summary>The node's clock, counters and log, for the parts the runtime builds.</summary>
    public NodeServices Services { get; }

    public NodeStats Stats => Services.Stats;

    public Log Log => Services.Log;

    public TimeProvider Time => Services.Time;

    public MessageWriter Writer { get; }

    public RpcClient Rpc { get; }

    /// <summary>Cancelled when the node shuts down; background work (fills, flushes) runs under it.</summary>
    public CancellationToken Lifetime { get; }

    /// <summary>Null until <c>init</c>.</summary>
    public NodeRuntime? Runtime => Volatile.Read(ref _runtime);

    /// <summary>The runtime, for handlers that only run after <c>init</c>.</summary>
    public NodeRuntime RequireRuntime() =>
        Runtime ?? throw NodeErrorException.NotInitialized();

    /// <summary>Installs the runtime once; false if <c>init</c> already happened.</summary>
    public bool TryInitialize(NodeRuntime runtime) => Interlocked.CompareExchange(ref _runtime, runtime, null) is null;
}
