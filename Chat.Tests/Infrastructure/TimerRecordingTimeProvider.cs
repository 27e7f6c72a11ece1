using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Infrastructure;

/// <summary>A <see cref="FakeTimeProvider"/> that records each timer made, so a test can await the wait it is about to cut short.</summary>
public sealed class TimerRecordingTimeProvider : FakeTimeProvider
{
    public EventRecorder<TimeSpan> Timers { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Timers.Add(dueTime);
        return timer;
    }
}
