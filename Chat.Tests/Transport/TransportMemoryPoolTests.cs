using System.Buffers;
using System.Runtime.InteropServices;
using Chat.Server.Accounts;
using Chat.Server.Accounts.Moderation;
using Chat.Server.Admin;
using Chat.Server.History;
using Chat.Server.Hosting;
using Chat.Server.Hubs;
using Chat.Server.Rooms;
using Chat.Server.Transport;
using Chat.Server.Transport.Internal;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chat.Tests.Transport;

/// <summary>
/// The pool Kestrel's sockets take their buffers from: blocks are reused, and what a burst left
/// unused goes back to the operating system while traffic that keeps going keeps its blocks.
/// </summary>
public sealed class TransportMemoryPoolTests
{
    [Fact]
    public void A_returned_block_is_rented_again_from_a_page_aligned_slab()
    {
        using var pool = new TrimmingBlockPool();

        var first = pool.Rent();
        var segment = ArrayOf(first);
        first.Dispose();
        var second = pool.Rent();

        var again = ArrayOf(second);
        (again.Array, again.Offset).Should().Be((segment.Array, segment.Offset), "a returned block is the first one rented again");
        segment.Count.Should().Be(TrimmingBlockPool.BlockSize);
        (Marshal.UnsafeAddrOfPinnedArrayElement(segment.Array!, segment.Offset) % TrimmingBlockPool.BlockSize).Should().Be(0, "a block is a whole page, so its page can be handed back");
        pool.TotalBlocks.Should().Be(32, "one slab serves both rents");
    }

    [Fact]
    public void Each_trim_cools_half_of_the_blocks_no_rent_needed_and_leaves_rented_blocks_alone()
    {
        using var pool = new TrimmingBlockPool();
        var blocks = Enumerable.Range(0, 20).Select(_ => pool.Rent()).ToList();
        var kept = blocks.Take(4).ToList();
        foreach (var block in kept)
        {
            block.Memory.Span.Fill(0x5A);
        }

        blocks.Skip(4).ToList().ForEach(block => block.Dispose());
        pool.WarmBlocks.Should().Be(16);

        pool.Trim().Should().Be(0, "the burst needed every block since the pool was made");
        pool.Trim().Should().Be(8);
        pool.Trim().Should().Be(4);
        pool.WarmBlocks.Should().Be(4);
        pool.ColdBlocks.Should().Be(32 - 20 + 12);
        kept.Should().AllSatisfy(block => block.Memory.Span.IndexOfAnyExcept((byte)0x5A).Should().Be(-1, "a rented block is never cooled"));
    }

    [Fact]
    public void A_cooled_block_gave_its_page_back_and_works_again()
    {
        using var pool = new TrimmingBlockPool();
        var blocks = Enumerable.Range(0, 32).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(block => block.Memory.Span.Fill(0xA5));
        blocks.ForEach(block => block.Dispose());

        for (var trims = 0; trims < 10 && pool.WarmBlocks > 0; trims++)
        {
            pool.Trim();
        }

        pool.WarmBlocks.Should().Be(0, "a pool nobody rents from cools all of its blocks");

        var again = pool.Rent();
        pool.TotalBlocks.Should().Be(32, "a cold block is reused before the pool grows");
        if (OperatingSystem.IsLinux())
        {
            again.Memory.Span.IndexOfAnyExcept((byte)0).Should().Be(-1, "the kernel took the page back and hands out a zeroed one");
        }

        again.Memory.Span.Fill(0x33);
        again.Memory.Span.IndexOfAnyExcept((byte)0x33).Should().Be(-1);
    }

    [Fact]
    public void Steady_traffic_keeps_the_blocks_it_uses_warm()
    {
        using var pool = new TrimmingBlockPool();
        Enumerable.Range(0, 12).Select(_ => pool.Rent()).ToList().ForEach(block => block.Dispose());

        for (var interval = 0; interval < 20; interval++)
        {
            var inFlight = Enumerable.Range(0, 6).Select(_ => pool.Rent()).ToList();
            inFlight.ForEach(block => block.Dispose());
            pool.Trim();
        }

        pool.WarmBlocks.Should().BeGreaterThanOrEqualTo(6, "six blocks are out at once in every interval");
        pool.TotalBlocks.Should().Be(32, "the pool never had to grow");
    }

    [Fact]
    public async Task A_server_hands_its_socket_buffers_back_after_traffic_and_its_connections_carry_on()
    {
        // Built the way Program.cs builds the server (Kestrel first, then the chat's services), in
        // this process so the pools can be looked at.
        using var directory = new TemporaryDirectory();
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var builder = WebApplication.CreateBuilder();
        var logs = new LogLines();
        builder.Logging.AddProvider(logs);
        builder.WebHost.UseUrls(address.ToString());
        builder.Configuration["Chat:History:SqlitePath"] = directory.File("chat.db");
        builder.Configuration["Chat:Transport:PoolTrimMilliseconds"] = "50";
        builder.AddChatHistory();
        builder.AddChatAccounts();
        builder.AddChatRooms();
        builder.AddChatHub();
        builder.AddChatTransport();
        builder.AddChatAdmin();
        builder.AddChatModeration();
        await using var app = builder.Build();
        app.MapChat();
        await app.StartAsync();
        var pools = app.Services.GetRequiredService<TransportMemoryPools>();
        logs.Lines.Should().NotContain(line => line.Contains("[MEMORY]"), "Kestrel was registered first, so it takes our pools");

        try
        {
            var room = Names.Room();
            await using var alice = await TestClient.ConnectAsync(address, Names.User("alice"));
            await using var bob = await TestClient.ConnectAsync(address, Names.User("bob"));
            await alice.Client.JoinAsync(room);
            await bob.Client.JoinAsync(room);
            for (var i = 0; i < 10; i++)
            {
                await alice.Client.SendAsync(room, new string('x', 2000));
            }

            await bob.Messages.WaitForCountAsync(10);
            pools.TotalBlocks.Should().BeGreaterThan(0, "Kestrel's sockets take their buffers from these pools");

            using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            using var deadline = new CancellationTokenSource(EventRecorder<object>.DefaultTimeout);
            while (pools.PooledBytes > 0)
            {
                await ticks.WaitForNextTickAsync(deadline.Token);
            }

            await alice.Client.SendAsync(room, "still here");
            (await bob.Messages.WaitForAsync(message => message.Text == "still here")).Room.Should().Be(room);
        }
        finally
        {
            await app.StopAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task A_host_that_adds_Kestrel_after_the_chat_is_warned_that_its_buffers_are_not_trimmed()
    {
        var logs = new LogLines();
        await using var server = new InProcessChatServer(host => host.ConfigureLogging(logging => logging.AddProvider(logs)));

        logs.Lines.Should().Contain(line => line.Contains("[MEMORY]") && line.Contains("register Kestrel before AddChatTransport"));
    }

    private static ArraySegment<byte> ArrayOf(IMemoryOwner<byte> block)
    {
        MemoryMarshal.TryGetArray<byte>(block.Memory, out var segment).Should().BeTrue("Kestrel's socket sender needs array-backed buffers");
        return segment;
    }

    private sealed class LogLines : ILoggerProvider, ILogger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                _lines.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
