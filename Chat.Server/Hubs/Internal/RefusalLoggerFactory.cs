using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hubs.Internal;

/// <summary>
/// The logger factory of the hub's connection handler. The hub refuses a connection (a taken or invalid
/// nickname) by throwing a <see cref="HubException"/> from <c>OnConnectedAsync</c>: SignalR then closes
/// the connection with the hub's sentence, which clients show, and logs the exception as an error with
/// its stack, so anyone could fill the error log by asking for a taken name. The hub logs each refusal
/// itself ([REFUSED], Information); here SignalR's entry for it goes to Debug without the stack. Every
/// other exception, and every other entry, is logged as SignalR logs it.
/// </summary>
internal sealed class RefusalLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RefusalLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The factory is the container's; this wrapper owns nothing.
    public void Dispose()
    {
    }

    private sealed class RefusalLogger(ILogger inner) : ILogger
    {
        // HubConnectionHandlerLog.ErrorDispatchingHubEvent.
        private const string ErrorDispatchingHubEvent = "ErrorDispatchingHubEvent";

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is HubException && eventId.Name == ErrorDispatchingHubEvent)
            {
                inner.Log(LogLevel.Debug, eventId, state, null, formatter);
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
