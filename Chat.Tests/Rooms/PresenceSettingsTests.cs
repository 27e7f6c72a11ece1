using Chat.Server.Rooms;
using Chat.Server.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chat.Tests.Rooms;

/// <summary>How long presence is collected, as a server is wired: a cluster node sends each change at once unless told otherwise.</summary>
public sealed class PresenceSettingsTests
{
    [Theory]
    [InlineData(null, null, RoomsOptions.DefaultPresenceIntervalMilliseconds)]
    [InlineData(null, "300", 300)]
    [InlineData("127.0.0.1:1", null, 0)]
    [InlineData("127.0.0.1:1", "300", 300)]
    public void The_presence_interval_depends_on_clustering_unless_configured(string? redis, string? configured, int expected)
    {
        var arguments = new List<string>();
        if (redis is not null)
        {
            arguments.Add($"--Chat:Redis:Configuration={redis}");
        }

        if (configured is not null)
        {
            arguments.Add($"--Chat:Rooms:PresenceIntervalMilliseconds={configured}");
        }

        var builder = WebApplication.CreateBuilder([.. arguments]);
        builder.AddChatRooms();
        builder.AddChatScaleout();
        using var services = builder.Services.BuildServiceProvider();

        services.GetRequiredService<IOptions<RoomsOptions>>().Value.PresenceInterval.Should().Be(TimeSpan.FromMilliseconds(expected));
    }
}
