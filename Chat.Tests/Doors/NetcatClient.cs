using System.Diagnostics;
using System.Text;
using Chat.Testing;

namespace Chat.Tests.Doors;

/// <summary>
/// OpenBSD netcat (<c>nc</c>, Debian's netcat-openbsd) connected to the TCP door: what it prints is
/// recorded line by line; what the test writes goes to its standard input, as raw bytes if need be.
/// Killed by its process id when disposed.
/// </summary>
internal sealed class NetcatClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly ProcessOutput _output = new();

    private NetcatClient(Process process) => _process = process;

    public string Output => _output.Text;

    public static NetcatClient Start(int port)
    {
        var start = new ProcessStartInfo("nc", ["127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = start };
        var client = new NetcatClient(process);
        process.OutputDataReceived += (_, e) => client._output.Append(e.Data);
        process.ErrorDataReceived += (_, e) => client._output.Append(e.Data);
        process.Start();
        ChildProcesses.Track(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return client;
    }

    /// <summary>Connects, answers the nickname prompt and waits for the welcome.</summary>
    public static async Task<NetcatClient> SignInAsync(int port, string nickname)
    {
        var client = Start(port);
        await client.SendAsync(nickname + "\n");
        await client.WaitForAsync($"Welcome, {nickname}!");
        return client;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        var input = _process.StandardInput.BaseStream;
        await input.WriteAsync(bytes).AsTask().WaitAsync(Timeout);
        await input.FlushAsync().WaitAsync(Timeout);
    }

    public Task WaitForAsync(string text) => _output.WaitForAsync(text, Timeout, "nc");

    /// <summary>
    /// Waits until the server has closed the connection. OpenBSD nc exits once both its standard input
    /// and the socket are at their end; without <c>-N</c> the end of its input is not passed on to the
    /// server, so only the server's close lets it exit.
    /// </summary>
    public async Task ClosedAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync().WaitAsync(Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(Timeout);
        }

        ChildProcesses.Forget(_process);
        _process.Dispose();
    }
}
