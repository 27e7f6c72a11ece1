using System.Net;
using System.Security.Claims;
using Chat.Server.Admin;
using Chat.Server.Admin.Internal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Chat.Tests.Admin;

/// <summary>Who meets the admin requirement until accounts exist: the screen is enabled and the request comes straight from this machine.</summary>
public sealed class AdminAccessTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task A_local_request_is_an_administrator_when_the_screen_is_enabled(string address)
    {
        (await IsAdministratorAsync(enabled: true, address)).Should().BeTrue();
        (await IsAdministratorAsync(enabled: false, address)).Should().BeFalse("the screen is off");
    }

    [Theory]
    [InlineData("192.168.1.20")]
    [InlineData("10.0.0.7")]
    [InlineData("2001:db8::1")]
    [InlineData(null)]
    public async Task A_request_from_another_machine_is_not(string? address)
    {
        (await IsAdministratorAsync(enabled: true, address)).Should().BeFalse();
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("Forwarded", "for=203.0.113.9")]
    public async Task A_request_relayed_by_a_proxy_on_this_machine_is_not(string header, string value)
    {
        (await IsAdministratorAsync(enabled: true, "127.0.0.1", (header, value))).Should().BeFalse("a local proxy makes every visitor look local");
    }

    private static async Task<bool> IsAdministratorAsync(bool enabled, string? address, (string Name, string Value)? header = null)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = address is null ? null : IPAddress.Parse(address);
        if (header is { } relayed)
        {
            http.Request.Headers[relayed.Name] = relayed.Value;
        }

        var requirement = new ChatAdminRequirement();
        var context = new AuthorizationHandlerContext([requirement], new ClaimsPrincipal(new ClaimsIdentity()), http);
        await new LocalAdministratorHandler(Options.Create(new AdminOptions { Enabled = enabled }), Options.Create(new Chat.Server.Accounts.AuthOptions())).HandleAsync(context);
        return context.HasSucceeded;
    }
}
