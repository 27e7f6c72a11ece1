using System.Net;

namespace Chat.Server.Doors.Internal;

/// <summary>Who a door connects to the hub: its door, the nickname, client key and access token it brought, and the user's address.</summary>
internal sealed record DoorConnectionRequest(string Door, string? Nickname, string? ClientKey, string? AccessToken, IPEndPoint? Remote);
