using System.Diagnostics;

namespace Chat.Server.Hosting;

/// <summary>
/// The server's traces: a span per hub invocation (<c>ChatHub/SendMessage</c>, <see cref="Hubs.TracingHubFilter"/>)
/// and one per batch the message store commits (<see cref="StoreCommit.ActivityName"/>). Their attributes
/// name methods and systems, never a room, a nickname or user text. Nothing is recorded unless a
/// tracer listens (OTLP export is on).
/// </summary>
public static class ChatActivities
{
    public const string SourceName = "SignalRChat.Server";

    public static readonly ActivitySource Source = new(SourceName);
}
