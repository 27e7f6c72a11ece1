using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Chat.Server.Transport.Internal;

/// <summary>
/// Kestrel's socket buffers: 4 KiB blocks, reused like Kestrel's own pool, whose memory goes back to
/// the operating system once nothing needs it. A burst (thousands of users connecting, a message to
/// every room) can have a block out for every connection at once. Kestrel's pool keeps all of them
/// and evicts about 1% every 10 s while any traffic goes on; the evicted blocks then sit in the
/// collector's oldest generation until a full collection. So an idle server went on holding about a
/// block per user.
/// <para>
/// Here blocks are page-aligned pages of pinned slabs. Each <see cref="Trim"/> takes half of the
/// blocks that no rent needed since the previous one and tells the kernel their pages are free
/// (<c>madvise(MADV_DONTNEED)</c> on Linux): the block stays in the pool, costs no resident memory,
/// and reads as zeros the next time it is used. What steady traffic uses stays warm; a burst's surplus
/// is returned within seconds, without any garbage for the collector.
/// </para>
/// </summary>
internal sealed class TrimmingBlockPool : MemoryPool<byte>
{
    public const int BlockSize = 4096;

    // 32 blocks per slab (128 KiB): slabs are never freed, so this is the pool's growth step.
    private const int BlocksPerSlab = 32;

    private static readonly bool CanReleasePages = OperatingSystem.IsLinux() && Environment.SystemPageSize == BlockSize;

    private readonly Lock _growLock = new();

    // Warm blocks (their pages resident) and cold ones (pages handed back): rents prefer warm ones.
    private readonly ConcurrentQueue<Block> _warm = new();
    private readonly ConcurrentQueue<Block> _cold = new();
    private int _warmCount;
    private int _coldCount;
    private int _totalBlocks;

    // The fewest warm blocks seen since the last trim: that many were not needed in the interval.
    private int _lowWater;
    private volatile bool _disposed;

    public override int MaxBufferSize => BlockSize;

    // The counts follow the queues a moment behind (a block is queued, then counted), so they can
    // read one below zero while blocks come and go.

    /// <summary>Free blocks whose memory is resident, kept for reuse.</summary>
    public int WarmBlocks => Math.Max(0, Volatile.Read(ref _warmCount));

    /// <summary>Free blocks whose pages were handed back to the operating system.</summary>
    public int ColdBlocks => Math.Max(0, Volatile.Read(ref _coldCount));

    /// <summary>All blocks the pool has made, free or rented.</summary>
    public int TotalBlocks => Volatile.Read(ref _totalBlocks);

    public bool IsDisposed => _disposed;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_warm.TryDequeue(out var block))
        {
            var left = Interlocked.Decrement(ref _warmCount);
            if (left < Volatile.Read(ref _lowWater))
            {
                Volatile.Write(ref _lowWater, left);
            }

            return block;
        }

        Volatile.Write(ref _lowWater, 0);
        while (!_cold.TryDequeue(out block))
        {
            Grow();
        }

        Interlocked.Decrement(ref _coldCount);
        return block;
    }

    /// <summary>Hands back the pages of half of the warm blocks that no rent needed since the last call.</summary>
    /// <returns>How many blocks went cold.</returns>
    public int Trim()
    {
        var surplus = Math.Min(Volatile.Read(ref _lowWater), WarmBlocks);
        var cooled = 0;
        for (var target = (surplus + 1) / 2; cooled < target && _warm.TryDequeue(out var block); cooled++)
        {
            Interlocked.Decrement(ref _warmCount);
            block.ReleasePage();
            _cold.Enqueue(block);
            Interlocked.Increment(ref _coldCount);
        }

        Volatile.Write(ref _lowWater, WarmBlocks);
        return cooled;
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        while (_warm.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _warmCount);
        }

        while (_cold.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _coldCount);
        }
    }

    private void Return(Block block)
    {
        if (_disposed)
        {
            return;
        }

        _warm.Enqueue(block);
        Interlocked.Increment(ref _warmCount);
    }

    private void Grow()
    {
        lock (_growLock)
        {
            if (!_cold.IsEmpty)
            {
                return;
            }

            // One spare block's worth of room to start the first block on a page boundary. The slab
            // is pinned (it never moves, so its pages can be handed back) and lives as long as its
            // blocks, which the pool keeps.
            var slab = GC.AllocateUninitializedArray<byte>((BlocksPerSlab + 1) * BlockSize, pinned: true);
            var address = Marshal.UnsafeAddrOfPinnedArrayElement(slab, 0);
            var first = (int)((BlockSize - (address % BlockSize)) % BlockSize);
            for (var i = 0; i < BlocksPerSlab; i++)
            {
                var offset = first + (i * BlockSize);
                _cold.Enqueue(new Block(this, slab, offset, address + offset));
            }

            Interlocked.Add(ref _coldCount, BlocksPerSlab);
            Interlocked.Add(ref _totalBlocks, BlocksPerSlab);
        }
    }

    private sealed class Block(TrimmingBlockPool pool, byte[] slab, int offset, nint page) : IMemoryOwner<byte>
    {
        // Array-backed, as Kestrel's socket sender expects of every segment it sends.
        public Memory<byte> Memory { get; } = new(slab, offset, BlockSize);

        public void Dispose() => pool.Return(this);

        public void ReleasePage()
        {
            if (CanReleasePages)
            {
                // Only the kernel's view changes: the page reads as zeros when touched again.
                _ = PageAdvice.DontNeed(page, BlockSize);
            }
        }
    }

    private static class PageAdvice
    {
        private const int MadvDontNeed = 4;

        public static int DontNeed(nint address, nuint length) => Madvise(address, length, MadvDontNeed);

        [DllImport("libc", EntryPoint = "madvise")]
        private static extern int Madvise(nint address, nuint length, int advice);
    }
}
