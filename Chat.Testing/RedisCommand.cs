using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Chat.Testing;

/// <summary>How redis-server is run for the bench and the tests: on loopback, without persistence, and how to tell it is up.</summary>
public static class RedisCommand
{
    public static IReadOnlyList<string> Arguments(int port) =>
        ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"];

    /// <summary>True when the server on <paramref name="port"/> answers PING with PONG; false when it refuses or hangs up.</summary>
    public static async Task<bool> AnswersPingAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAtLeastAsync(buffer, 5, throwOnEndOfStream: false, cancellationToken);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return false;
        }
    }
}
