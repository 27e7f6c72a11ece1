using Chat.Protocol;
using Chat.Server.History;
using Chat.Tests.Scaleout;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Chat.Tests.History;

/// <summary>The store contract against a real PostgreSQL, plus what only the cluster's store does: number messages.</summary>
public sealed class PostgresMessageStoreTests(PostgresFixture postgres) : MessageStoreContract, IClassFixture<PostgresFixture>
{
    private string? _connectionString;

    [Fact]
    public async Task Numbering_is_gapless_and_a_retried_send_returns_its_first_result()
    {
        var store = (PostgresMessageStore)Store;
        var delivered = new List<long>();
        Task Deliver(ChatMessage message)
        {
            lock (delivered)
            {
                delivered.Add(message.Seq);
            }

            return Task.CompletedTask;
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 200).Select(i =>
            store.AppendNewAsync(New("numbered", $"client-{i}", $"message {i}"), Deliver)));
        var retry = await store.AppendNewAsync(New("numbered", "client-7", "message 7 again"), Deliver);

        outcomes.Select(o => o.Message.Seq).Order().Should().Equal(Enumerable.Range(1, 200).Select(i => (long)i));
        outcomes.Should().OnlyContain(o => o.IsNew);
        retry.IsNew.Should().BeFalse();
        retry.Message.Should().Be(outcomes.Single(o => o.Message.Text == "message 7").Message);
        retry.Message.ClientMessageId.Should().Be("client-7");
        outcomes.Should().OnlyContain(o => "message " + o.Message.ClientMessageId!.Substring("client-".Length) == o.Message.Text);
        delivered.Should().Equal(Enumerable.Range(1, 200).Select(i => (long)i), "new messages are handed on once each, in commit order");
        (await store.GetLastSeqAsync("numbered")).Should().Be(200);
    }

    [Fact]
    public async Task Two_stores_on_one_database_number_one_room_together_without_gaps()
    {
        await using var other = Open();
        await other.InitializeAsync();
        var first = (PostgresMessageStore)Store;

        var sends = Enumerable.Range(1, 300).Select(i =>
            (i % 2 == 0 ? first : other).AppendNewAsync(New("shared", $"client-{i}", $"message {i}"), _ => Task.CompletedTask));
        var outcomes = await Task.WhenAll(sends);

        outcomes.Select(o => o.Message.Seq).Order().Should().Equal(Enumerable.Range(1, 300).Select(i => (long)i));
        (await Store.GetAfterAsync("shared", 0, 1000)).Select(m => m.Message.Seq).Should().Equal(Enumerable.Range(1, 300).Select(i => (long)i));
    }

    [Fact]
    public async Task Starting_again_on_an_existing_database_keeps_the_schema_and_the_messages()
    {
        await Store.AppendAsync(new StoredMessage(new ChatMessage("id", "kept", 1, "alice", "still here", DateTimeOffset.UnixEpoch), "u:a", "c1"));

        await using var reopened = Open();
        await reopened.InitializeAsync();

        (await reopened.GetLatestAsync("kept", 10)).Should().ContainSingle().Which.Message.Text.Should().Be("still here");
        var next = await reopened.AppendNewAsync(New("kept", "c2", "numbered after it"), _ => Task.CompletedTask);
        next.Message.Seq.Should().Be(2, "numbering continues after messages stored with their seq");
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var version = new NpgsqlCommand("SELECT version FROM chat_schema_version;", connection);
        (await version.ExecuteScalarAsync()).Should().Be(PostgresMessageStore.SchemaVersion);
    }

    protected override async Task<IMessageStore> CreateStoreAsync()
    {
        _connectionString = await postgres.Server.CreateDatabaseAsync();
        return Open();
    }

    private static NewMessage New(string room, string clientMessageId, string text) =>
        new(room, Guid.NewGuid().ToString("N"), "alice", "u:alice", clientMessageId, text, DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_000));

    private PostgresMessageStore Open() =>
        new(Options.Create(new HistoryOptions { Provider = HistoryProvider.Postgres, PostgresConnectionString = _connectionString }), NullLogger<PostgresMessageStore>.Instance);
}
