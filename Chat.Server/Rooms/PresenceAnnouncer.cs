using System.Collections.Concurrent;
using Chat.Protocol;
using Chat.Server.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chat.Server.Rooms;

/// <summary>
/// Tells a room's members who joined and left, as <c>MembersChanged</c>. The first change in a quiet
/// room goes out at once; later changes within <see cref="RoomsOptions.PresenceIntervalMilliseconds"/>
/// of the last event are collected and go out together, in order, when the interval ends. A room that
/// 100 people enter within a second then costs its members one or two events instead of one per
/// arrival to each member (about 5,000 deliveries). The interval is a second: with 250 ms, a server
/// filling 150 rooms at once still spent most of its time on presence (docs/benchmarks.md).
/// </summary>
/// <remarks>
/// Order: a room's sends start under its window's lock, so they reach each connection in the order
/// they were made. Pending changes go out before the room's next message (<see cref="Flush"/>) and
/// before any nickname change (<see cref="FlushAllAsync"/>), so nobody reads a message, or a rename, of
/// somebody whose arrival they have not been told of yet.
/// </remarks>
public sealed class PresenceAnnouncer(
    IHubContext<ChatHub, IChatClient> hub,
    IOptions<RoomsOptions> options,
    TimeProvider time,
    ILogger<PresenceAnnouncer> logger)
{
    private readonly ConcurrentDictionary<string, RoomWindow> _windows = new(StringComparer.Ordinal);
    private readonly TimeSpan _interval = options.Value.PresenceInterval;

    public void Announce(string room, string nickname, bool joined)
    {
        var change = new MemberChange(nickname, joined);
        if (_interval <= TimeSpan.Zero)
        {
            _ = Send(room, [change]);
            return;
        }

        while (true)
        {
            var window = _windows.GetOrAdd(room, static _ => new RoomWindow());
            lock (window.Gate)
            {
                if (window.Closed)
                {
                    // Its timer just retired it; the next GetOrAdd makes a fresh one.
                    continue;
                }

                if (window.Timer is null)
                {
                    // Quiet room: this change goes out now and opens a window for the next ones.
                    window.Timer = time.CreateTimer(static state => ((Tick)state!).Run(), new Tick(this, room, window), _interval, Timeout.InfiniteTimeSpan);
                    _ = Send(room, [change]);
                }
                else
                {
                    (window.Pending ??= []).Add(change);
                }

                return;
            }
        }
    }

    /// <summary>Sends the room's pending changes now (before a message to the room).</summary>
    public void Flush(string room)
    {
        if (!_windows.TryGetValue(room, out var window))
        {
            return;
        }

        lock (window.Gate)
        {
            _ = SendPending(room, window);
        }
    }

    /// <summary>
    /// Sends every room's pending changes now (before a nickname change, which may touch any of them,
    /// and when a node leaves the cluster); the task ends when they are sent.
    /// </summary>
    public Task FlushAllAsync()
    {
        List<Task>? sends = null;
        foreach (var (room, window) in _windows)
        {
            lock (window.Gate)
            {
                if (SendPending(room, window) is { IsCompleted: false } send)
                {
                    (sends ??= []).Add(send);
                }
            }
        }

        return sends is null ? Task.CompletedTask : Task.WhenAll(sends);
    }

    private void OnWindowEnd(string room, RoomWindow window)
    {
        lock (window.Gate)
        {
            if (window.Pending is null)
            {
                // Nothing arrived during the window: the room is quiet again.
                window.Closed = true;
                window.Timer?.Dispose();
                window.Timer = null;
                _windows.TryRemove(new KeyValuePair<string, RoomWindow>(room, window));
                return;
            }

            // Keep collecting for one more interval, so a steady stream of arrivals is batched too.
            _ = SendPending(room, window);
            window.Timer?.Change(_interval, Timeout.InfiniteTimeSpan);
        }
    }

    private Task SendPending(string room, RoomWindow window)
    {
        if (window.Pending is not { } changes)
        {
            return Task.CompletedTask;
        }

        window.Pending = null;
        return Send(room, changes);
    }

    /// <summary>Starts the send (under the caller's lock, for order); the task never faults: failures are logged.</summary>
    private Task Send(string room, IReadOnlyList<MemberChange> changes)
    {
        Task send;
        try
        {
            send = hub.Clients.Group(ChatHub.GroupOf(room)).MembersChanged(new RoomMembersChanged(room, changes));
        }
        catch (Exception ex)
        {
            logger.PresenceUpdateFailed(room, ex);
            return Task.CompletedTask;
        }

        return send.IsCompletedSuccessfully ? Task.CompletedTask : ObserveAsync(room, send);
    }

    private async Task ObserveAsync(string room, Task send)
    {
        try
        {
            await send;
        }
        catch (Exception ex)
        {
            logger.PresenceUpdateFailed(room, ex);
        }
    }

    private sealed class RoomWindow
    {
        public Lock Gate { get; } = new();

        /// <summary>Changes waiting for the window to end, oldest first.</summary>
        public List<MemberChange>? Pending { get; set; }

        /// <summary>Set while a window is open: changes until it fires are collected.</summary>
        public ITimer? Timer { get; set; }

        /// <summary>Retired from the table; a new change needs a new window.</summary>
        public bool Closed { get; set; }
    }

    private sealed record Tick(PresenceAnnouncer Announcer, string Room, RoomWindow Window)
    {
        public void Run() => Announcer.OnWindowEnd(Room, Window);
    }
}
