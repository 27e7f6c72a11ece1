using Chat.Testing;

namespace Chat.Tests.Infrastructure;

public static class FreePort
{
    /// <summary>A loopback port nothing listens on right now (the OS picks it).</summary>
    public static int Next() => ServerProcess.FreePort();
}
