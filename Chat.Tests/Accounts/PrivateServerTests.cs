using System.Net;
using System.Net.Http.Headers;
using Chat.Client;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Accounts;

/// <summary>A server for members only (<c>Chat:Auth:AllowGuests=false</c>) with named administrators and the admin screen on.</summary>
public sealed class PrivateServerTests(PrivateServerTests.Server fixture) : IClassFixture<PrivateServerTests.Server>, IDisposable
{
    private readonly AccountsHttp _http = new(fixture.Address);

    [Fact]
    public async Task A_guest_is_refused_with_a_sentence_and_a_member_gets_in()
    {
        await using var guest = TestClient.Create(fixture.Address, Names.User("guest"));
        var connect = () => guest.Client.ConnectAsync();
        (await connect.Should().ThrowAsync<ChatConnectionException>()).Which.Message.Should()
            .Be("This server asks everyone to sign in. Create an account or sign in.");

        var name = Names.User("member");
        await using var member = await TokenHub.ConnectAsync(fixture.Address, await _http.RegisterAsync(name));
        (await member.MeAsync()).Nickname.Should().Be(name);
    }

    [Fact]
    public async Task The_admin_api_answers_an_administrators_token_and_nobody_else_even_on_this_machine()
    {
        var adminToken = await _http.RegisterAsync(AdminName);
        var memberToken = await _http.RegisterAsync(Names.User("member"));

        (await OverviewAsync(token: null)).Should().Be(HttpStatusCode.NotFound, "loopback alone is not enough once administrators are named");
        (await OverviewAsync(memberToken)).Should().Be(HttpStatusCode.NotFound);
        (await OverviewAsync("abc.def.ghi")).Should().Be(HttpStatusCode.NotFound);
        (await OverviewAsync(adminToken)).Should().Be(HttpStatusCode.OK);

        await using var admin = await TokenHub.ConnectAsync(fixture.Address, adminToken);
        (await admin.MeAsync()).Administrator.Should().BeTrue();
    }

    public void Dispose() => _http.Dispose();

    private static readonly string AdminName = Names.User("root");

    private async Task<HttpStatusCode> OverviewAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/api/overview");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    public sealed class Server : ChatServerFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Chat:Auth:AllowGuests"] = "false",
            ["Chat:Auth:Admins:0"] = AdminName.ToUpperInvariant(),
            ["Chat:Admin:Enabled"] = "true",
        };
    }
}
