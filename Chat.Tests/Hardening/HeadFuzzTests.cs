using System.Text;
using Chat.Protocol;
using Chat.Tests.Infrastructure;
using Chat.Tests.Transport;

namespace Chat.Tests.Hardening;

/// <summary>
/// Mutated WebSocket upgrade heads against a direct-path server and an HTTP-path server with the same
/// (small) Kestrel limits: the direct path answers each head exactly as the HTTP path does, a 101 comes
/// with the right accept value, and the server keeps serving its users.
/// </summary>
public sealed class HeadFuzzTests : IAsyncLifetime
{
    private const int Heads = 400;
    private const int AtOnce = 48;
    private const string Key = "x3JJHMbDL1EzLkh9GBhXDw==";

    // Small limits, so oversized heads stay small; short timeouts, so truncated heads end quickly.
    private static readonly Dictionary<string, string> Limits = new()
    {
        ["Kestrel:Limits:RequestHeadersTimeout"] = "00:00:02",
        ["Kestrel:Limits:KeepAliveTimeout"] = "00:00:03",
        ["Kestrel:Limits:MaxRequestLineSize"] = "1024",
        ["Kestrel:Limits:MaxRequestHeadersTotalSize"] = "2048",
        ["Kestrel:Limits:MaxRequestHeaderCount"] = "20",
    };

    private ChatServerProcess? _direct;
    private ChatServerProcess? _http;

    public async Task InitializeAsync()
    {
        _direct = await ChatServerProcess.StartAsync(settings: Limits);
        _http = await ChatServerProcess.StartAsync(settings: Limits, path: WebSocketPath.Http);
    }

    public async Task DisposeAsync()
    {
        await (_direct?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (_http?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    [Fact]
    public async Task Mutated_heads_get_the_http_paths_answer_and_users_carry_on()
    {
        // A new seed each run widens what CI tries over time; SIGNALRCHAT_FUZZ_SEED replays a failure.
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SIGNALRCHAT_FUZZ_SEED"), out var replay) ? replay : Environment.TickCount;
        var random = new Random(seed);
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(_direct!.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(_direct.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        var heads = Enumerable.Range(0, Heads).Select(_ => Mutate(random)).ToList();

        var mismatches = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var upgrades = 0;

        // Many at once: a truncated head waits out the header timeout, and nothing should wait behind it.
        await Parallel.ForEachAsync(heads, new ParallelOptions { MaxDegreeOfParallelism = AtOnce }, async (head, _) =>
        {
            var directExchange = WireSocket.ExchangeAsync(_direct.Address, head.Bytes(_direct.Address), TimeSpan.FromSeconds(15));
            var httpExchange = WireSocket.ExchangeAsync(_http!.Address, head.Bytes(_http.Address), TimeSpan.FromSeconds(15));
            var (direct, http) = ((await directExchange).Response, (await httpExchange).Response);
            var status = WireSocket.StatusLine(direct);
            if (status != WireSocket.StatusLine(http))
            {
                mismatches.Enqueue($"{head.Mutation}: direct '{status}', HTTP '{WireSocket.StatusLine(http)}', head {Escape(head.Bytes(_direct.Address))}");
            }
            else if (status.StartsWith("HTTP/1.1 101 ", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref upgrades);

                // A mutation may change the key: the accept value must be the one the HTTP path computes for it.
                if (Accept(direct) is not { } accept || accept != Accept(http))
                {
                    mismatches.Enqueue($"{head.Mutation}: a 101 with accept '{Accept(direct)}', the HTTP path's '{Accept(http)}'");
                }
            }
        });

        mismatches.Should().BeEmpty($"seed {seed} (SIGNALRCHAT_FUZZ_SEED={seed} replays it; {upgrades} upgrades)");
        upgrades.Should().BeGreaterThan(0, $"seed {seed}: some mutations leave a valid head");
        var message = await alice.Client.SendAsync(room, "still serving");
        await bob.Messages.WaitForAsync(m => m.Id == message.Id);
        _direct.Output.Should().NotContain("Unhandled exception");
    }

    private sealed record FuzzHead(string Mutation, Func<string, byte[]> Make)
    {
        public byte[] Bytes(Uri server) => Make(server.Authority);
    }

    private static FuzzHead Mutate(Random random)
    {
        var seed = random.Next();
        var kind = random.Next(9);
        return new FuzzHead($"mutation {kind} seed {seed}", host =>
        {
            // The same mutation for either server: only the Host differs, and it is the server's own.
            var random = new Random(seed);
            var lines = new List<string>
            {
                $"GET {ChatEndpoints.HubPath}?name=fuzz{random.Next(1000)} HTTP/1.1",
                $"Host: {host}",
                "Upgrade: websocket",
                "Connection: Upgrade",
                $"Sec-WebSocket-Key: {Key}",
                "Sec-WebSocket-Version: 13",
            };
            if (random.Next(2) == 0)
            {
                lines.Add($"Origin: http://{host}");
            }

            switch (kind)
            {
                case 0: // a few bytes changed anywhere
                    var flipped = Encoding.Latin1.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n");
                    for (var i = random.Next(1, 4); i > 0; i--)
                    {
                        flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                    }

                    return flipped;
                case 1: // a byte inserted
                    var text = string.Join("\r\n", lines) + "\r\n\r\n";
                    var at = random.Next(text.Length);
                    return Encoding.Latin1.GetBytes(text[..at] + (char)random.Next(256) + text[at..]);
                case 2: // a bare LF for one line end
                    var line = random.Next(lines.Count - 1);
                    lines[line] += "\n" + lines[line + 1];
                    lines.RemoveAt(line + 1);
                    break;
                case 3: // a header twice, perhaps with another value
                    var twice = random.Next(1, lines.Count);
                    lines.Insert(random.Next(1, lines.Count + 1), random.Next(2) == 0 ? lines[twice] : lines[twice].Split(':')[0] + ": other.example");
                    break;
                case 4: // an oversized head
                    lines.Add($"X-Padding: {new string('p', random.Next(500, 3000))}");
                    break;
                case 5: // an oversized request line
                    lines[0] = $"GET {ChatEndpoints.HubPath}?pad={new string('q', random.Next(900, 1200))} HTTP/1.1";
                    break;
                case 6: // a head cut short
                    var whole = Encoding.Latin1.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n");
                    return whole[..random.Next(1, whole.Length - 1)];
                case 7: // any number of other headers
                    for (var i = random.Next(0, 30); i > 0; i--)
                    {
                        lines.Insert(random.Next(1, lines.Count + 1), $"X-Extra-{i}: {random.Next()}");
                    }

                    break;
                default: // shuffled header order and case
                    var headers = lines.Skip(1).OrderBy(_ => random.Next()).Select(h => random.Next(2) == 0 ? h.Split(':')[0].ToLowerInvariant() + h[h.IndexOf(':')..] : h);
                    lines = [lines[0], .. headers];
                    break;
            }

            return Encoding.Latin1.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n");
        });
    }

    private static string? Accept(string response) =>
        response.Split("\r\n").FirstOrDefault(line => line.StartsWith("Sec-WebSocket-Accept:", StringComparison.OrdinalIgnoreCase));

    private static string Escape(byte[] bytes) =>
        string.Concat(bytes.Select(b => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}"));
}
