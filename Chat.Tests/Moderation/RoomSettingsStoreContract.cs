using Chat.Server.Accounts.Moderation;
using Chat.Server.Accounts.Moderation.Internal;
using Chat.Server.History;
using Chat.Tests.Infrastructure;
using Chat.Tests.Scaleout;
using Npgsql;

namespace Chat.Tests.Moderation;

/// <summary>What every room settings store does, run against SQLite and PostgreSQL.</summary>
public abstract class RoomSettingsStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    protected IRoomSettingsStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.InitializeAsync();
        await Store.InitializeAsync();
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_room_is_registered_once_with_its_owner()
    {
        (await Store.RegisterAsync("general", "alice", Created)).Should().BeTrue();
        (await Store.RegisterAsync("general", "bob", Created)).Should().BeFalse("the first registration stands");

        var registration = await Store.LoadAsync("general");
        registration.Should().BeEquivalentTo(new RoomRegistration("general", "alice", null, false, null, false, Created, []), options => options.Excluding(r => r.Entries));
        registration!.Entries.Should().BeEmpty();
        (await Store.LoadAsync("elsewhere")).Should().BeNull();
    }

    [Fact]
    public async Task Topic_modes_and_key_are_stored_and_cleared()
    {
        await Store.RegisterAsync("general", null, Created);
        await Store.SetTopicAsync("general", "Welcome");
        await Store.SetInviteOnlyAsync("general", true);
        await Store.SetKeyAsync("general", "s3cret");
        await Store.SetModeratedAsync("general", true);

        var set = (await Store.LoadAsync("general"))!;
        (set.Topic, set.InviteOnly, set.Key, set.Moderated, set.Owner).Should().Be(("Welcome", true, "s3cret", true, (string?)null));

        await Store.SetTopicAsync("general", null);
        await Store.SetInviteOnlyAsync("general", false);
        await Store.SetKeyAsync("general", null);
        await Store.SetModeratedAsync("general", false);
        var cleared = (await Store.LoadAsync("general"))!;
        (cleared.Topic, cleared.InviteOnly, cleared.Key, cleared.Moderated).Should().Be(((string?)null, false, (string?)null, false));
    }

    [Fact]
    public async Task Entries_are_kept_per_list_in_the_order_added_and_removed_by_subject()
    {
        await Store.RegisterAsync("general", "alice", Created);
        await Store.RegisterAsync("other", "carol", Created);
        await Store.AddEntryAsync("general", new RoomEntry(RoomList.Banned, "u:guestkey", "troll"));
        await Store.AddEntryAsync("general", new RoomEntry(RoomList.Operator, "a:bob", "bob"));
        await Store.AddEntryAsync("general", new RoomEntry(RoomList.Banned, "a:eve", "eve"));
        await Store.AddEntryAsync("general", new RoomEntry(RoomList.Banned, "a:eve", "Eve"));
        await Store.AddEntryAsync("other", new RoomEntry(RoomList.Voiced, "a:bob", "bob"));

        var general = (await Store.LoadAsync("general"))!;
        general.Names(RoomList.Banned).Should().Equal("troll", "Eve");
        general.Has(RoomList.Operator, "a:bob").Should().BeTrue();
        general.Has(RoomList.Voiced, "a:bob").Should().BeFalse("lists and rooms are apart");

        (await Store.RemoveEntriesAsync("general", RoomList.Banned, ["a:eve", "a:nobody"])).Should().Be(1);
        (await Store.LoadAsync("general"))!.Names(RoomList.Banned).Should().Equal("troll");

        var all = await Store.LoadAllAsync();
        all.Select(r => r.Room).Should().BeEquivalentTo("general", "other");
        all.Single(r => r.Room == "other").Names(RoomList.Voiced).Should().Equal("bob");
    }

    protected abstract Task<IRoomSettingsStore> CreateStoreAsync();
}

public sealed class SqliteRoomSettingsStoreTests : RoomSettingsStoreContract
{
    private readonly TemporaryDirectory _directory = new();

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
        return Task.CompletedTask;
    }

    protected override Task<IRoomSettingsStore> CreateStoreAsync() =>
        Task.FromResult<IRoomSettingsStore>(SqlRoomSettingsStore.ForSqlite(new HistoryOptions { SqlitePath = _directory.File("chat.db") }, TimeProvider.System));
}

public sealed class PostgresRoomSettingsStoreTests(PostgresFixture postgres) : RoomSettingsStoreContract, IClassFixture<PostgresFixture>
{
    private NpgsqlDataSource? _dataSource;

    public override async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    protected override async Task<IRoomSettingsStore> CreateStoreAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.Server.CreateDatabaseAsync());
        return SqlRoomSettingsStore.ForPostgres(_dataSource, TimeProvider.System);
    }
}
