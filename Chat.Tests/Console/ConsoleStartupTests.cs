using Chat.Tests.Infrastructure;

namespace Chat.Tests.Console;

public sealed class ConsoleStartupTests
{
    [Fact]
    public async Task An_unreachable_server_is_retried_with_a_countdown_until_it_answers()
    {
        var port = FreePort.Next();
        var (room, grace) = (Names.Room(), Names.User("grace"));
        await using var console = ConsoleClientProcess.Start(new Uri($"http://127.0.0.1:{port}"), grace, "--room", room);

        await console.WaitForExactLineAsync($"[ERROR] Cannot reach chat server at http://127.0.0.1:{port}/: connection refused");
        await console.WaitForExactLineAsync("[SYSTEM] Retrying in 1 s… (Ctrl+C to stop)");
        await console.WaitForExactLineAsync("[SYSTEM] Retrying in 2 s… (Ctrl+C to stop)");
        await using var server = await ChatServerProcess.StartAsync(port: port);

        await console.WaitForLineAsync($@"^\[SYSTEM\] Connected to http://127\.0\.0\.1:{port}/ as {grace}\. ", TimeSpan.FromSeconds(20));
        await console.WaitForExactLineAsync($"[SYSTEM] Joined room: {room} (1 user: {grace})");
        console.Output.Items.Should().ContainSingle(line => line.StartsWith("[ERROR] Cannot reach", StringComparison.Ordinal), "the same failure is reported once, then counted down");
    }

    [Fact]
    public async Task Ctrl_C_stops_the_retrying_with_exit_code_1()
    {
        var port = FreePort.Next();
        await using var console = ConsoleClientProcess.Start(new Uri($"http://127.0.0.1:{port}"), Names.User("henry"));
        await console.WaitForExactLineAsync("[SYSTEM] Retrying in 1 s… (Ctrl+C to stop)");

        console.Signal(ConsoleClientProcess.SigInt);

        (await console.WaitForExitAsync()).Should().Be(1, console.Transcript);
    }
}
