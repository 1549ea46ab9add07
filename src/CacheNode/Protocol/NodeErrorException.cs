namespace CacheNode.Protocol;

/// <summary>An error that becomes an <c>error</c> reply with a Maelstrom code.</summary>
internal sealed class NodeErrorException : Exception
{
    public NodeErrorException(ErrorCode code, string text)
        : base(text)
    {
        Code = code;
    }

    public NodeErrorException(ErrorCode code, string text, Exception inner)
        : base(text, inner)
    {
        Code = code;
    }

    public ErrorCode Code { get; }

    /// <summary>Definite errors promise the operation did not and will not happen.</summary>
    public bool IsDefinite => Code is not (ErrorCode.Timeout or ErrorCode.Crash) && (int)Code < 1000;

    public static NodeErrorException Malformed(string text) => new(ErrorCode.MalformedRequest, text);

    public static NodeErrorException Unavailable(string text) => new(ErrorCode.TemporarilyUnavailable, text);

    public static NodeErrorException Indefinite(string text) => new(ErrorCode.Timeout, text);

    /// <summary>The text of error 11 before <c>init</c>, for clients (peers get <see cref="PeerNotInitialized"/> where it matters).</summary>
    public const string NotInitializedText = "node is not initialized yet: send init first";

    public static NodeErrorException NotInitialized() => Unavailable(NotInitializedText);

    /// <summary>A peer's <c>recover</c> before <c>init</c>: said by code, since the owner acts on it.</summary>
    public static NodeErrorException PeerNotInitialized() =>
        new(ErrorCode.PeerNotInitialized, "node is not initialized yet: it holds nothing for anyone");
}
