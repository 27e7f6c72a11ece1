using Chat.Server.Hosting;

namespace Chat.Server.History;

/// <summary>Wires the message history.</summary>
public static class HistoryServiceExtensions
{
    /// <summary>Message history: the SQLite store by default, PostgreSQL when <c>Chat:History:Provider</c> is <c>Postgres</c>.</summary>
    public static IHostApplicationBuilder AddChatHistory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (builder.Configuration.GetValue<HistoryProvider>($"{HistoryOptions.SectionName}:{nameof(HistoryOptions.Provider)}") == HistoryProvider.Postgres)
        {
            // Shared by a cluster: seq is numbered in the database, not in this process.
            builder.Services.AddSingleton<PostgresMessageStore>();
            builder.Services.AddSingleton<IMessageStore>(services => services.GetRequiredService<PostgresMessageStore>());
            builder.Services.AddSingleton<IMessageLog, PostgresMessageLog>();
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
