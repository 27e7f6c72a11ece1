using System.Security.Cryptography;
using System.Text;
using Chat.Server.Accounts;
using Chat.Server.Transport;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hubs;

/// <summary>
/// A signed-in user is their account (<see cref="ChatUser.UserIdOf"/>): every device and node agrees on
/// it, so a direct message reaches all of them. A guest is whoever holds a client key (<c>?key=</c> or
/// a bearer value that is not a token, a secret the client keeps: two tabs or a reconnect share it).
/// Only a hash of the key is used, so the secret is never stored or logged. Without a key each
/// connection is its own user.
/// </summary>
public sealed class ChatUserIdProvider : IUserIdProvider
{
    public const int MinKeyLength = 16;

    public const int MaxKeyLength = 128;

    public static string ForConnection(string connectionId) => "c:" + connectionId;

    public string? GetUserId(HubConnectionContext connection)
    {
        // The principal HubSignIn set from a valid token; a refused token leaves none, and the hub refuses the connection.
        if (connection.Features.Get<ConnectionSignIn>()?.Username is { } username)
        {
            return ChatUser.UserIdOf(username);
        }

        var key = ConnectionRequest.Of(connection).Key;
        if (key is null || key.Length is < MinKeyLength or > MaxKeyLength)
        {
            return ForConnection(connection.ConnectionId);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return "u:" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
