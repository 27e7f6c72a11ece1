using System.Data.Common;

namespace Chat.Server.Accounts.Moderation.Internal;

/// <summary>
/// The statements both databases run: the same SQL with <c>@name</c> parameters, which SQLite and
/// Npgsql both read. The stores differ only in their schema and how they open a connection.
/// </summary>
internal static class RoomSettingsSql
{
    private const string RegistrationColumns = "room, owner, topic, invite_only, room_key, moderated, created_at";

    public static async Task<IReadOnlyList<RoomRegistration>> LoadAsync(DbConnection connection, string? room, CancellationToken cancellationToken)
    {
        var where = room is null ? "" : " WHERE room = @room";
        (string, object?)[] parameters = room is null ? [] : [("room", room)];
        var entries = new Dictionary<string, List<RoomEntry>>(StringComparer.Ordinal);
        await using (var command = Command(connection, $"SELECT room, list, subject, name FROM room_entries{where} ORDER BY room, added;", parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (Enum.TryParse<RoomList>(reader.GetString(1), ignoreCase: true, out var list))
                {
                    var name = reader.GetString(0);
                    if (!entries.TryGetValue(name, out var roomEntries))
                    {
                        entries[name] = roomEntries = [];
                    }

                    roomEntries.Add(new RoomEntry(list, reader.GetString(2), reader.GetString(3)));
                }
            }
        }

        var registrations = new List<RoomRegistration>();
        await using (var command = Command(connection, $"SELECT {RegistrationColumns} FROM room_registrations{where};", parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                registrations.Add(new RoomRegistration(
                    name,
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetBoolean(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetBoolean(5),
                    reader.GetFieldValue<DateTimeOffset>(6),
                    entries.TryGetValue(name, out var roomEntries) ? roomEntries : []));
            }
        }

        return registrations;
    }

    public static async Task<bool> RegisterAsync(DbConnection connection, string room, string? owner, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection,
            $"INSERT INTO room_registrations ({RegistrationColumns}) VALUES (@room, @owner, NULL, FALSE, NULL, FALSE, @created_at) ON CONFLICT (room) DO NOTHING;",
            cancellationToken, ("room", room), ("owner", owner), ("created_at", createdAt.ToUniversalTime())) == 1;

    /// <summary>Sets one column of the registration; <paramref name="column"/> is one of ours, never input.</summary>
    public static Task<int> SetAsync(DbConnection connection, string room, string column, object? value, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, $"UPDATE room_registrations SET {column} = @value WHERE room = @room;", cancellationToken, ("room", room), ("value", value));

    public static Task<int> AddEntryAsync(DbConnection connection, string room, RoomEntry entry, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteAsync(connection,
            "INSERT INTO room_entries (room, list, subject, name, added) VALUES (@room, @list, @subject, @name, @added) ON CONFLICT (room, list, subject) DO UPDATE SET name = excluded.name;",
            cancellationToken, ("room", room), ("list", ListName(entry.List)), ("subject", entry.Subject), ("name", entry.Name), ("added", at.ToUnixTimeMilliseconds()));

    public static async Task<int> RemoveEntriesAsync(DbConnection connection, string room, RoomList list, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var subject in subjects)
        {
            removed += await ExecuteAsync(connection, "DELETE FROM room_entries WHERE room = @room AND list = @list AND subject = @subject;",
                cancellationToken, ("room", room), ("list", ListName(list)), ("subject", subject));
        }

        return removed;
    }

    private static string ListName(RoomList list) => list.ToString().ToLowerInvariant();

    private static async Task<int> ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
