using CacheNode.Protocol;

namespace CacheNode.Database;

/// <summary>
/// The embedded in-memory store: linearizable because every operation runs under one lock and never
/// awaits. Right for a single node and for piping JSON by hand.
/// </summary>
internal sealed class LocalDatabase : IKeyValueDatabase
{
    private readonly Dictionary<RawJson, RawJson> _data = [];
    private readonly Lock _gate = new();

    public const string DatabaseName = "local";

    public string Name => DatabaseName;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _data.Count;
            }
        }
    }

    public ValueTask<ReadResult> ReadAsync(RawJson key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_data.TryGetValue(key, out var value) ? ReadResult.Of(value) : ReadResult.Missing);
        }
    }

    public ValueTask WriteAsync(RawJson key, RawJson value, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _data[key] = value;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<CasResult> CasAsync(RawJson key, RawJson from, RawJson to, bool createIfNotExists, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_data.TryGetValue(key, out var current))
            {
                if (!createIfNotExists)
                {
                    return ValueTask.FromResult(CasResult.KeyMissing);
                }
            }
            else if (current != from)
            {
                return ValueTask.FromResult(CasResult.Mismatch);
            }

            _data[key] = to;
            return ValueTask.FromResult(CasResult.Ok);
        }
    }
}
