namespace Chat.Server.History;

public enum HistoryProvider
{
    Sqlite,
    Postgres,
}
