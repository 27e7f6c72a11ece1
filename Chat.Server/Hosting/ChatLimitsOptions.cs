using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Hosting;

/// <summary>Configuration section <c>Chat:Limits</c>.</summary>
public sealed class ChatLimitsOptions
{
    public const string SectionName = "Chat:Limits";

    [Range(1, 10_000)]
    public int MaxRoomsPerConnection { get; set; } = 50;
}
