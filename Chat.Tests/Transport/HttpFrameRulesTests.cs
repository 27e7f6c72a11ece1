namespace Chat.Tests.Transport;

/// <summary>The frame rules through ASP.NET Core's HTTP stack and its WebSocket implementation.</summary>
public sealed class HttpFrameRulesTests(HttpWebSocketServerFixture fixture) : FrameRulesTests(fixture), IClassFixture<HttpWebSocketServerFixture>;
