namespace CacheNode.Protocol;

/// <summary>No reply arrived within the deadline: the request may or may not have taken effect.</summary>
internal sealed class RpcTimeoutException : TimeoutException
{
    public RpcTimeoutException(string dest, string type, TimeSpan timeout)
        : base($"{type} to {dest} got no reply within {timeout.TotalMilliseconds:0} ms")
    {
        Dest = dest;
    }

    public string Dest { get; }
}
