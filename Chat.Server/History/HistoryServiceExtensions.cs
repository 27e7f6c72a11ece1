using Chat.Server.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Chat.Server.History;

/// <summary>Wires the message history.</summary>
public static class HistoryServiceExtensions
{
    /// <summary>
    /// The key of the PostgreSQL data source (one connection pool) that the features keeping their own
    /// tables beside the messages share: accounts and room registrations. The message store keeps a pool of
    /// its own for its writer.
    /// </summary>
    public const string SharedDataSource = "chat-database";

    /// <summary>Message history: the SQLite store by default, PostgreSQL when <c>Chat:History:Provider</c> is <c>Postgres</c>.</summary>
    public static IHostApplicationBuilder AddChatHistory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (HistoryOptions.UsesPostgres(builder.Configuration))
        {
            // Shared by a cluster: seq is numbered in the database, not in this process.
            builder.Services.AddSingleton<PostgresMessageStore>();
            builder.Services.AddSingleton<IMessageStore>(services => services.GetRequiredService<PostgresMessageStore>());
            builder.Services.AddSingleton<IMessageLog, PostgresMessageLog>();
            builder.Services.AddKeyedSingleton(SharedDataSource, (services, _) =>
                NpgsqlDataSource.Create(services.GetRequiredService<IOptions<HistoryOptions>>().Value.PostgresConnectionString!));
        }
        else
        {
            builder.Services.AddSingleton<SqliteMessageStore>();
            builder.Services.AddSingleton<IMessageStore>(services => services.GetRequiredService<SqliteMessageStore>());
            builder.Services.AddSingleton<IMessageLog, MessageLog>();
        }

        builder.Services.AddHostedService<HistoryInitializer>();
        builder.Services.AddHealthChecks().AddCheck<MessageStoreHealthCheck>("store", tags: [ChatServiceExtensions.ReadyTag]);
        return builder;
    }
}
