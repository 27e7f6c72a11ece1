using Microsoft.Extensions.Logging;

namespace Chat.Tests.Infrastructure;

/// <summary>A logger factory whose every entry, at every level, is kept for the test to read or await.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    public LogRecorder()
    {
        Factory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(this));
    }

    public ILoggerFactory Factory { get; }

    public EventRecorder<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, Entries);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, EventRecorder<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Add(new LogEntry(category, logLevel, eventId.Name, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
    }
}

public sealed record LogEntry(string Category, LogLevel Level, string? EventName, string Text);
