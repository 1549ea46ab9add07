namespace CacheNode.Protocol;

/// <summary>How far a line got through <see cref="EnvelopeParser"/>; decides whether a reply is possible.</summary>
internal enum EnvelopeParseResult
{
    /// <summary>A well-formed message.</summary>
    Ok,

    /// <summary>Not a JSON object: no reply is possible, only a stderr log.</summary>
    NotJson,

    /// <summary>JSON, but no <c>body.type</c>: no reply (the contract says so), only a stderr log.</summary>
    NoType,

    /// <summary>Has a type but no usable <c>src</c>/<c>dest</c>: nobody to reply to.</summary>
    NoRoute,

    /// <summary>Routable with a type, but <c>msg_id</c>/<c>in_reply_to</c> are not integers: answered with error 12.</summary>
    BadHeader,

    /// <summary>A readable header, but a body field is not valid UTF-8: answered with error 12 and <c>in_reply_to</c>.</summary>
    BadBody,
}
