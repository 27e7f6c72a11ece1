using Chat.Tests.Infrastructure;

namespace Chat.Tests.Admin;

/// <summary>A server with the admin screen enabled; tests reach it from loopback, as an administrator would.</summary>
public sealed class AdminServerFixture : ChatServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Chat:Admin:Enabled"] = "true",
    };
}
