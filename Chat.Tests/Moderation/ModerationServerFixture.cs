using Chat.Tests.Infrastructure;

namespace Chat.Tests.Moderation;

/// <summary>One server with a server administrator, whose limits stay out of the way of tests that sign many users up.</summary>
public sealed class ModerationServerFixture : ChatServerFixture
{
    public static readonly string Administrator = Names.User("root");

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Chat:Auth:Admins:0"] = Administrator,
        ["Chat:Limits:JoinsPerSecond"] = "1000",
        ["Chat:Limits:JoinBurst"] = "1000",
    };
}
