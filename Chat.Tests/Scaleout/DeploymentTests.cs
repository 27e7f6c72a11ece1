using System.Diagnostics;
using Chat.Testing;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Scaleout;

/// <summary>The deployment files: there is no container engine here, so they are checked, not run.</summary>
public sealed class DeploymentTests
{
    [Fact]
    public async Task Docker_compose_accepts_the_compose_file_and_it_runs_the_whole_cluster_behind_the_balancer()
    {
        var (exitCode, output) = await RunAsync("docker-compose", "-f", "docker-compose.yml", "config");

        exitCode.Should().Be(0, output);
        var (_, services) = await RunAsync("docker-compose", "-f", "docker-compose.yml", "config", "--services");
        services.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Should().BeEquivalentTo("redis", "postgres", "chat1", "chat2", "chat3", "balancer", "prometheus", "grafana");
        output.Should().Contain("Chat__Redis__Configuration: redis:6379").And.Contain("Chat__History__Provider: Postgres");
        output.Should().Contain("published: 8080").And.Contain("published: 5023");
        File.Exists(Path.Combine(RepositoryPaths.Root, "deploy", "nginx.conf")).Should().BeTrue();
    }

    [Fact]
    public async Task Prometheus_accepts_its_configuration_and_scrapes_every_node_on_its_metrics_port()
    {
        var (exitCode, output) = await RunAsync("promtool", "check", "config", "deploy/prometheus.yml");

        exitCode.Should().Be(0, output);
        var configuration = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy", "prometheus.yml"));
        configuration.Should().Contain("\"chat1:9464\", \"chat2:9464\", \"chat3:9464\"");
        var (_, compose) = await RunAsync("docker-compose", "-f", "docker-compose.yml", "config");
        compose.Should().Contain("Chat__Metrics__Port: '9464'");
    }

    [Fact]
    public async Task The_balancer_passes_websocket_upgrades_and_the_host_to_every_node()
    {
        var nginx = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy", "nginx.conf"));

        nginx.Should().Contain("proxy_set_header Upgrade $http_upgrade;").And.Contain("proxy_set_header Connection $connection_upgrade;");
        nginx.Should().Contain("proxy_set_header Host $http_host;");
        nginx.Should().Contain("server chat1:8080").And.Contain("server chat2:8080").And.Contain("server chat3:8080");
    }

    [Fact]
    public async Task The_balancer_passes_the_tcp_door_to_every_node()
    {
        var nginx = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy", "nginx.conf"));
        var stream = nginx[nginx.IndexOf("stream {", StringComparison.Ordinal)..];

        stream.Should().Contain("listen 5023;").And.Contain("proxy_pass chat_tcp_nodes;");
        stream.Should().Contain("server chat1:5023").And.Contain("server chat2:5023").And.Contain("server chat3:5023");
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "Dockerfile"));
        dockerfile.Should().Contain("Chat__Tcp__Host=+").And.MatchRegex(@"EXPOSE [0-9 ]*\b5023\b");
    }

    [Fact]
    public async Task The_image_builds_the_page_and_runs_as_a_non_root_user_on_8080()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "Dockerfile"));

        dockerfile.Should().Contain("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build").And.Contain("FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime");
        dockerfile.Should().Contain("npm ci");
        dockerfile.Should().Contain("USER $APP_UID").And.Contain("EXPOSE 8080");
        (await RunAsync("bash", "-n", "scripts/cluster.sh")).ExitCode.Should().Be(0, "the no-Docker cluster script parses");
    }

    [Fact]
    public async Task Every_way_of_running_the_server_gives_it_the_runtime_settings_of_its_launch_profile()
    {
        // dotnet run applies the launch profile; the image, the cluster script and every launcher of
        // the build output (tests and bench) must set the same, or they run a different server.
        var profile = LaunchProfile.Read(LaunchProfile.DefaultPath());
        profile.Should().ContainKey("DOTNET_GCgen0size", "idle memory per connection depends on the gen0 budget (docs/benchmarks.md, idle)");
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "Dockerfile"));
        var cluster = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "scripts", "cluster.sh"));

        await using var server = await ChatServerProcess.StartAsync();
        var environment = (await File.ReadAllTextAsync($"/proc/{server.ProcessId}/environ")).Split('\0');
        foreach (var (name, value) in profile)
        {
            dockerfile.Should().Contain($"{name}={value}");
            cluster.Should().Contain($"export {name}=\"${{{name}:-{value}}}\"");
            environment.Should().Contain($"{name}={value}");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string executable, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{executable} is not installed; ./build.sh test installs it (Debian packages docker-compose and prometheus).", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            return (process.ExitCode, await output + await error);
        }
    }
}
