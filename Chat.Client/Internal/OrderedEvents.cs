namespace Chat.Client.Internal;

/// <summary>
/// The one line every event of a <see cref="ChatClient"/> waits in, so the application sees them in
/// the order the client decided on: a room's join snapshot before its messages, a recovery report
/// before the messages it recovered. Events are posted under whichever lock decided their place and
/// raised by <see cref="Deliver"/> after that lock is released, one at a time, by one thread at a time.
/// While held (during a reconnect) posted events wait; <see cref="Release"/> puts an event before them.
/// </summary>
internal sealed class OrderedEvents
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Action?> _queue = new();
    private LinkedListNode<Action?>? _holdMark;
    private bool _held;
    private bool _delivering;

    public void Post(Action raise)
    {
        lock (_gate)
        {
            _queue.AddLast(raise);
        }
    }

    /// <summary>Posts a signal that completes once everything posted before it has been raised.</summary>
    public Task PostSignal()
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() => signal.TrySetResult());
        return signal.Task;
    }

    /// <summary>Events posted from now on wait until <see cref="Release"/>; those posted before still go.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            if (!_held && _holdMark is null)
            {
                _holdMark = _queue.AddLast((Action?)null);
            }
        }
    }

    /// <summary>Ends a hold: <paramref name="first"/> (if any) goes before everything that waited.</summary>
    public void Release(Action? first = null)
    {
        lock (_gate)
        {
            if (_holdMark is { } mark)
            {
                if (first is not null)
                {
                    _queue.AddAfter(mark, first);
                }

                _queue.Remove(mark);
                _holdMark = null;
            }
            else if (first is not null)
            {
                _queue.AddFirst(first);
            }

            _held = false;
        }

        Deliver();
    }

    /// <summary>
    /// Raises what is posted, in order, up to a hold. A thread that finds another one delivering leaves
    /// its events to it, so two threads never raise events at once and none overtakes another.
    /// </summary>
    public void Deliver()
    {
        while (true)
        {
            Action raise;
            lock (_gate)
            {
                if (_delivering || _held || _queue.First is not { } next)
                {
                    return;
                }

                _queue.RemoveFirst();
                if (next == _holdMark)
                {
                    _holdMark = null;
                    _held = true;
                    return;
                }

                _delivering = true;
                raise = next.Value!;
            }

            try
            {
                raise();
            }
            finally
            {
                lock (_gate)
                {
                    _delivering = false;
                }
            }
        }
    }
}
