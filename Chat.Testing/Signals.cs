using System.Runtime.InteropServices;

namespace Chat.Testing;

/// <summary>POSIX signals for stopping processes the way an operator or an orchestrator would.</summary>
public static class Signals
{
    public const int SigTerm = 15;

    public const int SigStop = 19;

    public const int SigCont = 18;

    public static void Send(int processId, int signal)
    {
        if (Kill(processId, signal) != 0)
        {
            throw new InvalidOperationException($"kill({processId}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);
}
