using Chat.Server.Registry;
using Chat.Server.Registry.Internal;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using SignalRRedisOptions = Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions;

namespace Chat.Server.Backplane;

/// <summary>Wires the backplane; <see cref="RedisDependencyInjectionExtensions.AddChatScaleout(IHostApplicationBuilder)"/> calls it.</summary>
public static class BackplaneServiceExtensions
{
    /// <summary>
    /// Microsoft's Redis backplane, registered as its documentation says; the cluster layer around it
    /// (<see cref="ClusterHubLifetimeManager{THub}"/>) takes the <c>HubLifetimeManager</c> slot and
    /// builds the official manager itself, so it can build a new one after an outage. Needs the
    /// <see cref="RedisConnection"/> and <see cref="RedisOptions"/> that <c>AddChatScaleout</c> registers.
    /// </summary>
    internal static IHostApplicationBuilder AddChatBackplane(this IHostApplicationBuilder builder)
    {
        // The official manager gets its own multiplexer, set up as the registry's is (Registry/Internal/RedisConfiguration).
        builder.Services.AddSignalR().AddStackExchangeRedis();
        builder.Services.AddOptions<SignalRRedisOptions>().Configure<IOptions<RedisOptions>, RedisConnection>((backplane, chat, redis) =>
            backplane.Configuration = RedisConfiguration.ForBackplane(chat.Value, redis));
        builder.Services.AddSingleton(typeof(HubLifetimeManager<>), typeof(ClusterHubLifetimeManager<>));
        return builder;
    }
}
