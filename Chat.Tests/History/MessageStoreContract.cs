using Chat.Protocol;
using Chat.Server.History;

namespace Chat.Tests.History;

/// <summary>
/// The behaviour every <see cref="IMessageStore"/> must have; each implementation's test class derives
/// from this and supplies a fresh, initialized store.
/// </summary>
public abstract class MessageStoreContract : IAsyncLifetime
{
    private IMessageStore? _store;

    protected IMessageStore Store => _store ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        await CleanUpAsync();
    }

    [Fact]
    public async Task An_appended_message_is_readable_once_the_append_completes()
    {
        var message = Stored("general", 1, "hello");

        await Store.AppendAsync(message);

        (await Store.GetAsync("general", 1)).Should().Be(message);
        (await Store.GetLastSeqAsync("general")).Should().Be(1);
        (await Store.GetLastSeqAsync("elsewhere")).Should().Be(0);
    }

    [Fact]
    public async Task Concurrent_appends_all_complete_and_all_are_stored()
    {
        await Task.WhenAll(Enumerable.Range(1, 500).Select(seq => Store.AppendAsync(Stored("busy", seq, $"message {seq}"))));

        (await Store.GetLastSeqAsync("busy")).Should().Be(500);
        (await Store.GetAfterAsync("busy", 0, 1000)).Should().HaveCount(500);
    }

    [Fact]
    public async Task Pages_come_back_oldest_first_and_stay_in_their_room()
    {
        for (var seq = 1; seq <= 30; seq++)
        {
            await Store.AppendAsync(Stored("paged", seq, $"message {seq}"));
            await Store.AppendAsync(Stored("other", seq, $"other {seq}"));
        }

        (await Store.GetLatestAsync("paged", 5)).Select(m => m.Message.Seq).Should().Equal(26L, 27L, 28L, 29L, 30L);
        (await Store.GetBeforeAsync("paged", 11, 3)).Select(m => m.Message.Seq).Should().Equal(8L, 9L, 10L);
        (await Store.GetAfterAsync("paged", 27, 10)).Select(m => m.Message.Seq).Should().Equal(28L, 29L, 30L);
        (await Store.GetAfterAsync("paged", 0, 30)).Should().OnlyContain(m => m.Message.Room == "paged");
    }

    [Fact]
    public async Task A_duplicate_seq_fails_only_that_append()
    {
        await Store.AppendAsync(Stored("dupes", 1, "first"));

        var duplicate = Store.AppendAsync(Stored("dupes", 1, "imposter"));
        var neighbour = Store.AppendAsync(Stored("dupes", 2, "neighbour"));

        await FluentActions.Awaiting(() => duplicate).Should().ThrowAsync<Exception>();
        await neighbour;
        (await Store.GetAfterAsync("dupes", 0, 10)).Select(m => m.Message.Text).Should().Equal("first", "neighbour");
    }

    [Fact]
    public async Task Text_and_times_survive_the_round_trip()
    {
        var sentAt = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123);
        var message = new StoredMessage(new ChatMessage("id-1", "unicode", 1, "Zoë", "héllo 👋\nline two", sentAt, "client-1"), "u:abc", "client-1");

        await Store.AppendAsync(message);

        (await Store.GetAsync("unicode", 1)).Should().Be(message);
    }

    [Fact]
    public async Task Every_read_gives_the_message_its_senders_client_message_id()
    {
        for (var seq = 1; seq <= 3; seq++)
        {
            await Store.AppendAsync(Stored("retry-ids", seq, $"message {seq}"));
        }

        var reads = new[]
        {
            await Store.GetLatestAsync("retry-ids", 10),
            await Store.GetBeforeAsync("retry-ids", 4, 10),
            await Store.GetAfterAsync("retry-ids", 0, 10),
            [(await Store.GetAsync("retry-ids", 2))!],
        };

        // The page clears its "sending" copy of a message by this id when the message comes back.
        reads.SelectMany(read => read).Should().OnlyContain(stored => stored.Message.ClientMessageId == $"retry-ids-client-{stored.Message.Seq}");
    }

    [Fact]
    public async Task A_flush_during_shutdown_waits_for_accepted_appends_instead_of_failing()
    {
        // A host stopping twice at once (its own Run and a caller's StopAsync) can dispose the store
        // while the other stop is still flushing it.
        var accepted = Enumerable.Range(1, 200).Select(seq => Store.AppendAsync(Stored("closing", seq, $"message {seq}"))).ToArray();
        var shutdown = ((IAsyncDisposable)Store).DisposeAsync().AsTask();

        await Store.FlushAsync();

        accepted.Should().OnlyContain(append => append.IsCompletedSuccessfully, "a flush completes only when every accepted append is durable");
        await FluentActions.Awaiting(() => Store.AppendAsync(Stored("closing", 201, "too late"))).Should().ThrowAsync<ObjectDisposedException>();
        await shutdown;
    }

    protected abstract Task<IMessageStore> CreateStoreAsync();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    private static StoredMessage Stored(string room, long seq, string text) =>
        new(new ChatMessage($"{room}-{seq}", room, seq, "alice", text, DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000 + seq), $"{room}-client-{seq}"), "u:alice", $"{room}-client-{seq}");
}
