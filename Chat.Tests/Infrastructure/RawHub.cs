using System.Net;
using Chat.Client;
using Chat.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Tests.Infrastructure;

/// <summary>A bare SignalR <see cref="HubConnection"/> to the hub, for calls the typed client makes for you (fixed message ids).</summary>
public static class RawHub
{
    public static async Task<HubConnection> ConnectAsync(Uri server, string? nickname = null, string? key = null)
    {
        var query = new List<string>();
        if (nickname is not null)
        {
            query.Add($"{ChatEndpoints.NameParameter}={Uri.EscapeDataString(nickname)}");
        }

        if (key is not null)
        {
            query.Add($"{ChatEndpoints.KeyParameter}={Uri.EscapeDataString(key)}");
        }

        var builder = new HubConnectionBuilder();
        builder.Services.AddSingleton<IConnectionFactory>(new WebSocketConnectionFactory());
        builder.Services.AddSingleton<EndPoint>(new UriEndPoint(new UriBuilder(new Uri(server, ChatEndpoints.HubPath)) { Query = string.Join('&', query) }.Uri));
        var connection = builder.Build();
        await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return connection;
    }
}
