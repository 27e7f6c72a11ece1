using Microsoft.AspNetCore.SignalR;

namespace Chat.Bench.Baseline;

/// <summary>
/// The baseline every chat server is compared with: a stock SignalR hub with plain Groups. No
/// nicknames, no seq, no history, no validation, no limits.
/// </summary>
public sealed class BareChatHub : Hub
{
    public Task Join(string room) => Groups.AddToGroupAsync(Context.ConnectionId, room);

    public Task Send(string room, string text) => Clients.Group(room).SendAsync("ReceiveMessage", new { room, text });
}
