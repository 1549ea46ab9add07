using CacheNode.Protocol;

namespace CacheNode.Strategies;

/// <summary>
/// One async mutex per key, created on demand and forgotten when idle, so read-modify-write operations
/// on the same key run one at a time (across awaits) without serializing different keys.
/// </summary>
internal sealed class KeyedAsyncLock
{
    private readonly Lock _gate = new();
    private readonly Dictionary<RawJson, Holder> _holders = [];

    public async ValueTask<Releaser> AcquireAsync(RawJson key, CancellationToken cancellationToken = default)
    {
        Holder holder;
        lock (_gate)
        {
            if (!_holders.TryGetValue(key, out holder!))
            {
                holder = new Holder();
                _holders.Add(key, holder);
            }

            holder.References++;
        }

        try
        {
            await holder.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Forget(key, holder);
            throw;
        }

        return new Releaser(this, key, holder);
    }

    /// <summary>Whether some operation holds (or waits for) the key's mutex now.</summary>
    public bool IsHeld(RawJson key)
    {
        lock (_gate)
        {
            return _holders.ContainsKey(key);
        }
    }

    private void Release(RawJson key, Holder holder)
    {
        holder.Semaphore.Release();
        Forget(key, holder);
    }

    private void Forget(RawJson key, Holder holder)
    {
        lock (_gate)
        {
            if (--holder.References == 0)
            {
                _holders.Remove(key);
                holder.Semaphore.Dispose();
            }
        }
    }

    /// <summary>Releases the key's mutex when disposed.</summary>
    internal readonly struct Releaser : IDisposable
    {
        private readonly KeyedAsyncLock _owner;
        private readonly RawJson _key;
        private readonly Holder _holder;

        public Releaser(KeyedAsyncLock owner, RawJson key, Holder holder)
        {
            _owner = owner;
            _key = key;
            _holder = holder;
        }

        public void Dispose() => _owner.Release(_key, _holder);
    }

    internal sealed class Holder
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int References { get; set; }
    }
}
