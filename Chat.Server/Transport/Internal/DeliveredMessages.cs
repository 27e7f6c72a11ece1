using Chat.Protocol;

namespace Chat.Server.Transport.Internal;

/// <summary>
/// Tells a chat message (a room's <c>ReceiveMessage</c>, a <c>ReceiveDirect</c>) among the frames the hub
/// writes to a connection. SignalR writes each message it sends to a connection as one write of its
/// serialized bytes, which for the JSON hub protocol begin with the invocation's type and target; a
/// message that came from another node through the backplane arrives here only as those bytes.
/// Counting here counts each connection written to, on the node that wrote to it, whichever way
/// the message travelled.
/// </summary>
internal static class DeliveredMessages
{
    private static readonly byte[] RoomMessage = Prefix(nameof(IChatClient.ReceiveMessage));
    private static readonly byte[] DirectMessage = Prefix(nameof(IChatClient.ReceiveDirect));

    public static bool IsChatMessage(ReadOnlySpan<byte> frame) =>
        frame.StartsWith(RoomMessage) || frame.StartsWith(DirectMessage);

    // JsonHubProtocol writes an invocation without headers or id as {"type":1,"target":"NAME",...
    private static byte[] Prefix(string target) => System.Text.Encoding.UTF8.GetBytes($$"""{"type":1,"target":"{{target}}",""");
}
