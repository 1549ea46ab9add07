using CacheNode.Diagnostics;
using CacheNode.Protocol;
using CacheNode.Protocol.Messages;

namespace CacheNode.Database;

/// <summary>
/// Client of Maelstrom's <c>lin-kv</c> / <c>seq-kv</c> services over the node's own RPC. Reads are
/// idempotent, so a timed-out read is retried; a timed-out write or cas may have happened and becomes an
/// indefinite error, never a definite one.
/// </summary>
internal sealed class MaelstromKvDatabase : IKeyValueDatabase
{
    private readonly RpcClient _rpc;
    private readonly TimeSpan _timeout;
    private readonly int _readAttempts;
    private readonly Log _log;
    private readonly string? _alsoFrom;

    /// <param name="alsoFrom">A node whose reply to a request is taken as the service's own (see <see cref="RpcClient.CallAsync"/>); null for a real service.</param>
    public MaelstromKvDatabase(string service, RpcClient rpc, TimeSpan timeout, int readAttempts, Log log, string? alsoFrom = null)
    {
        _alsoFrom = alsoFrom;
        Name = service;
        _rpc = rpc;
        _timeout = timeout;
        _readAttempts = Math.Max(1, readAttempts);
        _log = log;
    }

    public string Name { get; }

    public async ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var reply = await _rpc.CallAsync(Name, new ReadRequest { Key = key }, _timeout, cancellationToken);
                if (!reply.IsError)
                {
                    return ReadResult.Of(reply.Bind(ProtocolJsonContext.Default.ReadOk).Value);
                }

                var error = reply.BindError();
                if (error.Code == (int)ErrorCode.KeyDoesNotExist)
                {
                    return ReadResult.Missing;
                }

                // A read changes nothing, so any service error may be retried and, at the end, reported as is.
                if (attempt >= _readAttempts || error.Code != (int)ErrorCode.TemporarilyUnavailable)
                {
                    throw new NodeErrorException((ErrorCode)error.Code, $"{Name} read failed: {error.Text}");
                }
            }
            catch (RpcTimeoutException ex) when (attempt < _readAttempts)
            {
                _log.Debug($"{ex.Message}; retrying read (attempt {attempt + 1} of {_readAttempts})");
            }
            catch (RpcTimeoutException ex)
            {
                // Definite is right for a read: nothing can have changed because of it.
                throw NodeErrorException.Unavailable($"database unreachable: {ex.Message}");
            }
        }
    }

    public ValueTask WriteAsync(RawJson key, RawJson value, CancellationToken cancellationToken = default) =>
        SendAsync(new WriteRequest { Key = key, Value = value }, cancellationToken);

    /// <summary>
    /// Sends a request that may change state and expects a plain <c>*_ok</c>: no answer is an indefinite
    /// error, an error reply keeps its code.
    /// </summary>
    public async ValueTask SendAsync(OutgoingBody request, CancellationToken cancellationToken = default) =>
        await SendAsync(request, _timeout, cancellationToken);

    /// <inheritdoc cref="SendAsync(OutgoingBody, CancellationToken)"/>
    /// <param name="timeout">This request's own timeout, for one that may take longer than the usual round trip.</param>
    public async ValueTask SendAsync(OutgoingBody request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var reply = await CallOrIndefiniteAsync(request, timeout, cancellationToken);
        if (reply.IsError)
        {
            throw ServiceError(reply.BindError(), request.Type);
        }
    }

    public async ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, CancellationToken cancellationToken = default)
    {
        var request = new CasRequest { Key = key, From = from, To = to, CreateIfNotExists = createIfNotExists };
        var reply = await CallOrIndefiniteAsync(request, _timeout, cancellationToken);
        if (!reply.IsError)
        {
            return CasResult.Ok;
        }

        var error = reply.BindError();
        return error.Code switch
        {
            (int)ErrorCode.KeyDoesNotExist => CasResult.KeyMissing,
            (int)ErrorCode.PreconditionFailed => CasResult.Mismatch,
            _ => throw ServiceError(error, "cas"),
        };
    }

    private async Task<RpcReply> CallOrIndefiniteAsync(OutgoingBody request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _rpc.CallAsync(Name, request, timeout, cancellationToken, _alsoFrom);
        }
        catch (RpcTimeoutException ex)
        {
            throw NodeErrorException.Indefinite($"{Name} {request.Type} may or may not have happened: {ex.Message}");
        }
    }

    // The service's own code is kept: its definite errors are definite for us too, and unknown codes
    // (>= 1000) are indefinite by Maelstrom's rules.
    private NodeErrorException ServiceError(ErrorBody error, string operation) =>
        new((ErrorCode)error.Code, $"{Name} {operation} failed: {error.Text}");
}
