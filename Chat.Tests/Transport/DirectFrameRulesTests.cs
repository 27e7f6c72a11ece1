using Chat.Tests.Infrastructure;

namespace Chat.Tests.Transport;

/// <summary>The frame rules on our own framing (<c>Chat:Transport:DirectWebSockets</c>, on by default).</summary>
public sealed class DirectFrameRulesTests(ChatServerFixture fixture) : FrameRulesTests(fixture), IClassFixture<ChatServerFixture>;
