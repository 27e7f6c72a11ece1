using Chat.Server.Doors.Internal;
using Chat.Server.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Chat.Server.Doors;

/// <summary>
/// The doors: plain WebSocket and TCP dialects for clients that speak no SignalR, each a thin adapter
/// onto the hub through <see cref="DoorHubConnections"/>.
/// </summary>
public static class DoorServiceExtensions
{
    /// <summary>The doors' services and, unless <c>Chat:Tcp:Port</c> is 0, the TCP door's Kestrel endpoint.</summary>
    public static IHostApplicationBuilder AddChatDoors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DoorHubConnections>();
        builder.Services.AddSingleton<WebSocketDoor>();
        builder.Services.AddOptions<TcpDoorOptions>().BindConfiguration(TcpDoorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        var tcp = builder.Configuration.GetSection(TcpDoorOptions.SectionName).Get<TcpDoorOptions>() ?? new TcpDoorOptions();
        if (tcp.Enabled)
        {
            // A named endpoint in configuration, its connections handed to the door in code: an endpoint
            // added in code (Listen) would make Kestrel ignore urls (KestrelEndpoints.Add).
            KestrelEndpoints.Add(builder.Configuration, TcpDoorOptions.EndpointName, $"http://{tcp.Host}:{tcp.Port}");
            builder.Services.AddOptions<KestrelServerOptions>().Configure(kestrel =>
                kestrel.ConfigurationLoader?.Endpoint(TcpDoorOptions.EndpointName, endpoint => endpoint.ListenOptions.UseConnectionHandler<TcpDoor>()));
        }

        return builder;
    }

    /// <summary><c>/ws</c>, seed 000's WebSocket chat; the TCP door needs no route.</summary>
    public static WebApplication MapChatDoors(this WebApplication app)
    {
        app.Map(WebSocketDoor.Path, app.Services.GetRequiredService<WebSocketDoor>().HandleAsync);
        return app;
    }
}
