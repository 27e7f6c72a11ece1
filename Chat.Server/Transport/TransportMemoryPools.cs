using System.Buffers;
using Chat.Server.Transport.Internal;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Chat.Server.Transport;

/// <summary>
/// The memory pools Kestrel's sockets draw their buffers from (Kestrel asks DI for an
/// <see cref="IMemoryPoolFactory{T}"/>). Every <see cref="TransportOptions.PoolTrimMilliseconds"/>
/// each pool hands back to the operating system the pages of half of the blocks that no rent needed
/// since the previous look (the blocks themselves stay pooled), so an idle server keeps no buffer
/// memory for its idle users.
/// </summary>
public sealed class TransportMemoryPools : IMemoryPoolFactory<byte>, IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<TrimmingBlockPool> _pools = [];
    private readonly ITimer _timer;

    public TransportMemoryPools(IOptions<TransportOptions> options, TimeProvider time)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.PoolTrimMilliseconds);
        _timer = time.CreateTimer(_ => Trim(), null, interval, interval);
    }

    /// <summary>Resident bytes in free blocks, kept warm for reuse, across all pools.</summary>
    public long PooledBytes => Sum(pool => pool.WarmBlocks) * TrimmingBlockPool.BlockSize;

    /// <summary>Blocks made by all pools, free (warm or cold) or in use.</summary>
    internal int TotalBlocks => (int)Sum(pool => pool.TotalBlocks);

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        var pool = new TrimmingBlockPool();
        lock (_lock)
        {
            _pools.Add(pool);
        }

        return pool;
    }

    public void Dispose()
    {
        _timer.Dispose();
        lock (_lock)
        {
            _pools.Clear();
        }
    }

    private long Sum(Func<TrimmingBlockPool, int> blocks)
    {
        lock (_lock)
        {
            return _pools.Sum(pool => (long)blocks(pool));
        }
    }

    private void Trim()
    {
        lock (_lock)
        {
            _pools.RemoveAll(pool => pool.IsDisposed);
            foreach (var pool in _pools)
            {
                pool.Trim();
            }
        }
    }
}
