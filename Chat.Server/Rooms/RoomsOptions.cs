using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Rooms;

/// <summary>Configuration section <c>Chat:Rooms</c>.</summary>
public sealed class RoomsOptions
{
    public const string SectionName = "Chat:Rooms";

    /// <summary>What a single server collects for when nothing is configured.</summary>
    public const int DefaultPresenceIntervalMilliseconds = 1000;

    /// <summary>
    /// Joins and leaves within this many milliseconds of a room's last <c>MembersChanged</c> are
    /// collected and sent together when it ends; 0 sends each change at once. Unset: 1,000 on a single
    /// server, 0 in a cluster (each node would collect its own changes, and a user's join collected on
    /// one node could then reach members after the same user's leave sent at once by another).
    /// </summary>
    [Range(0, 60_000)]
    public int? PresenceIntervalMilliseconds { get; set; }

    /// <summary>The interval in effect: the configured one, else the single-server default.</summary>
    public TimeSpan PresenceInterval => TimeSpan.FromMilliseconds(PresenceIntervalMilliseconds ?? DefaultPresenceIntervalMilliseconds);
}
