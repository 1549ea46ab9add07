using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CacheNode.Protocol.Messages;

namespace CacheNode.Protocol;

/// <summary>A reply to one of the node's own requests, with its body copied out of the read buffer.</summary>
internal sealed class RpcReply
{
    public RpcReply(string src, string type, byte[] body)
    {
        Src = src;
        Type = type;
        Body = body;
    }

    public string Src { get; }

    public string Type { get; }

    public byte[] Body { get; }

    public bool IsError => Type == "error";

    /// <summary>Binds the body to the expected reply type; a malformed reply is a crash-class error (indefinite).</summary>
    public T Bind<T>(JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(Body, typeInfo)
                ?? throw new NodeErrorException(ErrorCode.Crash, $"{Src} sent an empty {Type} body");
        }
        catch (JsonException ex)
        {
            // The detail goes to the log through the exception; the reply text stays stable.
            throw new NodeErrorException(ErrorCode.Crash, $"{Src} sent a malformed {Type}", ex);
        }
    }

    /// <summary>The error this reply carries (only when <see cref="IsError"/>).</summary>
    public ErrorBody BindError() => Bind(ProtocolJsonContext.Default.ErrorBody);
}
