namespace Chat.Tests.Infrastructure;

/// <summary>Collects events and lets a test await the one it expects, with a timeout.</summary>
public sealed class EventRecorder<T>
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly List<T> _items = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    public void Add(T item)
    {
        TaskCompletionSource changed;
        lock (_items)
        {
            _items.Add(item);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>The first recorded item matching <paramref name="predicate"/>, waiting for it if needed.</summary>
    public async Task<T> WaitForAsync(Func<T, bool> predicate, TimeSpan? timeout = null)
    {
        var items = await WaitUntilAsync(all => all.Any(predicate), timeout, "a matching event");
        return items.First(predicate);
    }

    /// <summary>Waits until at least <paramref name="count"/> items are recorded; returns them all.</summary>
    public Task<IReadOnlyList<T>> WaitForCountAsync(int count, TimeSpan? timeout = null) =>
        WaitUntilAsync(all => all.Count >= count, timeout, $"{count} events");

    public async Task<IReadOnlyList<T>> WaitUntilAsync(Func<IReadOnlyList<T>, bool> condition, TimeSpan? timeout = null, string what = "the condition")
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            Task changed;
            IReadOnlyList<T> snapshot;
            lock (_items)
            {
                snapshot = [.. _items];
                changed = _changed.Task;
            }

            if (condition(snapshot))
            {
                return snapshot;
            }

            try
            {
                await changed.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {timeout ?? DefaultTimeout} for {what}; recorded {snapshot.Count}: {string.Join("; ", snapshot)}");
            }
        }
    }
}
