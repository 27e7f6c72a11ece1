using System.Runtime.InteropServices;

namespace Chat.Client.Console;

/// <summary>
/// Ctrl+C, SIGTERM and a closed terminal (SIGHUP) end the chat cleanly, leaving the rooms so others
/// see the user go. A second Ctrl+C while leaving ends the process at once.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _received;

    private StopSignals(CancellationTokenSource stop)
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                if (Interlocked.Increment(ref _received) == 1)
                {
                    context.Cancel = true;
                    stop.Cancel();
                }
            }));
        }
    }

    public static StopSignals Register(CancellationTokenSource stop) => new(stop);

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
