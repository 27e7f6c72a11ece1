using Chat.Server.Accounts.Moderation.Internal;
using Chat.Server.Admin.Internal;
using Chat.Server.History;
using Chat.Server.Hubs;
using Chat.Server.Registry;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Chat.Server.Accounts.Moderation;

/// <summary>Wires rooms people own.</summary>
public static class ModerationServiceExtensions
{
    /// <summary>
    /// Room registrations (in the message store's database: SQLite, or PostgreSQL when
    /// <c>Chat:History:Provider</c> is <c>Postgres</c>), this node's cache of them, and the moderation
    /// rules the hub asks. Call it after the history, the accounts (which bind <c>Chat:Auth</c>, naming the administrators), the rooms and scale-out are added.
    /// </summary>
    public static IHostApplicationBuilder AddChatModeration(this IHostApplicationBuilder builder)
    {
        if (HistoryOptions.UsesPostgres(builder.Configuration))
        {
            builder.Services.AddSingleton<IRoomSettingsStore>(services => SqlRoomSettingsStore.ForPostgres(
                services.GetRequiredKeyedService<NpgsqlDataSource>(HistoryServiceExtensions.SharedDataSource), services.GetRequiredService<TimeProvider>()));
        }
        else
        {
            builder.Services.AddSingleton<IRoomSettingsStore>(services => SqlRoomSettingsStore.ForSqlite(
                services.GetRequiredService<IOptions<HistoryOptions>>().Value, services.GetRequiredService<TimeProvider>()));
        }

        builder.Services.AddSingleton<RoomSettingsCache>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RoomSettingsCache>());

        // Built here: their constructors take the cluster's command channel (RoomNodes), which is internal.
        builder.Services.AddSingleton(services => new RoomNodes(
            services.GetRequiredService<AdminCommandChannel>(), services.GetService<RedisConnection>()));
        builder.Services.AddSingleton(services => new RoomAdmission(
            services.GetRequiredService<RoomSettingsCache>(),
            services.GetRequiredService<IRoomSettingsStore>(),
            services.GetRequiredService<IRoomRegistry>(),
            services.GetRequiredService<RoomNodes>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<RoomModeration>>()));
        builder.Services.AddSingleton(services => new RoomModeration(
            services.GetRequiredService<RoomSettingsCache>(),
            services.GetRequiredService<IRoomSettingsStore>(),
            services.GetRequiredService<IRoomRegistry>(),
            services.GetRequiredService<IHubContext<ChatHub, Protocol.IChatClient>>(),
            services.GetRequiredService<RoomNodes>(),
            services.GetRequiredService<IOptions<AuthOptions>>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<RoomModeration>>()));
        return builder;
    }
}
