using System.ComponentModel.DataAnnotations;
using Chat.Server.Accounts;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Accounts;

public sealed class SigningKeyTests
{
    [Fact]
    public async Task Without_a_configured_key_the_server_keeps_its_own_so_tokens_outlive_a_restart()
    {
        await using var server = await ChatServerProcess.StartAsync();
        using var http = new AccountsHttp(server.Address);
        var name = Names.User("keeper");
        var token = await http.RegisterAsync(name);

        var keyFile = server.DatabasePath + ".signing-key";
        File.Exists(keyFile).Should().BeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(keyFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "only the server's user may read its key");
        }

        var key = await File.ReadAllBytesAsync(keyFile);

        await server.StopAsync();
        await server.StartAsync();

        (await File.ReadAllBytesAsync(keyFile)).Should().Equal(key);
        await using var hub = await TokenHub.ConnectAsync(server.Address, token);
        (await hub.MeAsync()).Nickname.Should().Be(name);
    }

    [Fact]
    public void A_configured_key_shorter_than_32_characters_is_refused_with_a_sentence()
    {
        var options = new AuthOptions { SigningKey = "too short" };
        var results = new List<ValidationResult>();

        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true).Should().BeFalse();
        results.Select(result => result.ErrorMessage).Should().Contain("Chat:Auth:SigningKey needs at least 32 characters (or leave it out and the server makes one).");
    }
}
