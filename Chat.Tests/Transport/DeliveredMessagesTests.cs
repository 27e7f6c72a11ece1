using Chat.Protocol;
using Chat.Server.Transport.Internal;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Chat.Tests.Transport;

/// <summary>Deliveries are told by the bytes SignalR's JSON protocol writes; these pin that shape.</summary>
public sealed class DeliveredMessagesTests
{
    private static readonly JsonHubProtocol Json = new();

    [Theory]
    [InlineData(nameof(IChatClient.ReceiveMessage), true)]
    [InlineData(nameof(IChatClient.ReceiveDirect), true)]
    [InlineData(nameof(IChatClient.MembersChanged), false)]
    [InlineData(nameof(IChatClient.UserTyping), false)]
    public void Only_chat_messages_count_as_deliveries(string target, bool counted)
    {
        var bytes = Json.GetMessageBytes(new InvocationMessage(target, ["payload"]));

        DeliveredMessages.IsChatMessage(bytes.Span).Should().Be(counted);
    }

    [Fact]
    public void Acknowledgements_and_pings_are_not_deliveries()
    {
        DeliveredMessages.IsChatMessage(Json.GetMessageBytes(CompletionMessage.WithResult("1", "ok")).Span).Should().BeFalse();
        DeliveredMessages.IsChatMessage(Json.GetMessageBytes(PingMessage.Instance).Span).Should().BeFalse();
    }
}
