using System.Text.RegularExpressions;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Console;

/// <summary>Console clients across server restarts, each test with a server of its own to stop and start.</summary>
public sealed class ConsoleReconnectTests
{
    private const string Time = @"\d\d:\d\d";
    private static readonly TimeSpan ReconnectTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_console_clients_ride_out_a_server_restart_and_messages_sent_meanwhile_arrive_once_in_order()
    {
        await using var server = await ChatServerProcess.StartAsync();
        var (general, tech, alice, bob) = (Names.Room("general"), Names.Room("tech"), Names.User("alice"), Names.User("bob"));
        await using var aliceConsole = ConsoleClientProcess.Start(server.Address, alice, "--room", general);
        await using var bobConsole = ConsoleClientProcess.Start(server.Address, bob, "--room", tech, "--room", general);
        await bobConsole.WaitForLineAsync($@"^\[SYSTEM\] Joined room: {general} ");
        await aliceConsole.WaitForLineAsync($@"^\[SYSTEM\] Joined room: {general} ");
        await aliceConsole.SendAsync("before the restart");
        await bobConsole.WaitForLineAsync($@"^{Time} \[{general}\] {alice}: before the restart$");

        await server.StopAsync();
        await aliceConsole.WaitForExactLineAsync("[reconnecting…]", ReconnectTimeout);
        await bobConsole.WaitForExactLineAsync("[reconnecting…]", ReconnectTimeout);
        await aliceConsole.SendAsync("typed while the server was down");
        await aliceConsole.SendAsync("and a second line");
        await aliceConsole.WaitForExactLineAsync("[queued] and a second line (sent once reconnected)");
        await server.StartAsync();

        await aliceConsole.WaitForLineAsync($@"^\[reconnected: rejoined {general}; (no|\d+) missed messages?\]$", ReconnectTimeout);
        await bobConsole.WaitForLineAsync($@"^\[reconnected: rejoined {general}, {tech}; (no|\d+) missed messages?\]$", ReconnectTimeout);
        await bobConsole.WaitForLineAsync($@"^{Time} \[{general}\] {alice}: and a second line$", ReconnectTimeout);
        await bobConsole.SendAsync("after the restart");
        await aliceConsole.WaitForLineAsync($@"^{Time} \[{general}\] {bob}: after the restart$");
        await bobConsole.WaitForLineAsync($@"^{Time} \[{general}\] {bob}: after the restart$");

        string[] conversation = [$"{alice}: before the restart", $"{alice}: typed while the server was down", $"{alice}: and a second line", $"{bob}: after the restart"];
        foreach (var console in new[] { aliceConsole, bobConsole })
        {
            var shown = console.Output.Items.Where(line => Regex.IsMatch(line, $@"^{Time} \[{general}\] ")).Select(line => line[(line.IndexOf("] ", StringComparison.Ordinal) + 2)..]);
            shown.Should().Equal(conversation, console.Transcript);
        }

        var bobLines = bobConsole.Output.Items.ToList();
        bobLines.FindIndex(line => line.StartsWith("[reconnected:", StringComparison.Ordinal))
            .Should().BeLessThan(bobLines.FindIndex(line => line.EndsWith("typed while the server was down", StringComparison.Ordinal)), "missed messages follow the reconnect line");
    }
}
