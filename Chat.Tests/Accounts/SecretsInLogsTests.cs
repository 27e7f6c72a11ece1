using System.Net.Http.Headers;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Accounts;

public sealed class SecretsInLogsTests
{
    /// <summary>
    /// A whole sign-up, sign-in and connect run, with the accounts' and authentication's own categories
    /// at Debug and everything else at the default levels: no password, token, hash or key in the output.
    /// </summary>
    [Fact]
    public async Task No_password_token_hash_or_key_reaches_the_log()
    {
        var settings = new Dictionary<string, string>
        {
            ["Chat:Auth:SigningKey"] = AccountServerFixture.SigningKey,
            ["Chat:Admin:Enabled"] = "true",
            ["Logging:LogLevel:Chat.Server.Accounts"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore.Authentication"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore.Authorization"] = "Debug",
        };
        await using var server = await ChatServerProcess.StartAsync(settings: settings);
        using var http = new AccountsHttp(server.Address);
        var name = Names.User("secretive");
        var password = AccountsHttp.Password();
        var wrongPassword = AccountsHttp.Password();
        var now = DateTimeOffset.UtcNow;
        var expired = AccountServerFixture.Mint(name, now.AddDays(-2), now.AddDays(-1));

        var token = await http.RegisterAsync(name, password);
        (await http.SignInAsync(name, wrongPassword)).Dispose();
        (await http.SignInAsync(Names.User("nobody"), wrongPassword)).Dispose();
        await using (var byQuery = await TokenHub.ConnectAsync(server.Address, token, TokenWay.Query))
        await using (var byHeader = await TokenHub.ConnectAsync(server.Address, token, TokenWay.Header, negotiate: Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling))
        {
            (await byQuery.MeAsync()).SignedIn.Should().BeTrue();
            (await byHeader.MeAsync()).SignedIn.Should().BeTrue();
        }

        var refused = () => TokenHub.ConnectAsync(server.Address, expired, TokenWay.Query);
        await refused.Should().ThrowAsync<Chat.Client.ChatException>();
        using (var admin = new HttpRequestMessage(HttpMethod.Get, "/admin/api/overview"))
        {
            admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", expired);
            (await http.SendAsync(admin)).Dispose();
        }

        await server.WaitForOutputAsync("brought a token that was refused");
        await server.StopAsync();
        var log = server.Output;

        log.Should().Contain($"{name} signed in").And.Contain($"Refused for {name}");
        foreach (var secret in new[] { password, wrongPassword, AccountServerFixture.SigningKey, token, expired, token.Split('.')[2], expired.Split('.')[2] })
        {
            log.Should().NotContain(secret);
        }

        // Identity's V3 hashes start with these bytes (format marker, PRF, iteration count) in base64.
        log.Should().NotContain("AQAAAA");
    }
}
