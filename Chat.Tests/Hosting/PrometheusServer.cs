using System.Globalization;
using System.Text.Json;
using Chat.Testing;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Hosting;

/// <summary>
/// Debian's prometheus (<c>/usr/bin/prometheus</c>) scraping one target every second, on free loopback
/// ports, with its configuration and storage in a temporary folder; read through its HTTP API as a
/// dashboard reads it. Killed by process id when disposed, and its folder goes with it.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    private readonly ServerProcess _process;

    private PrometheusServer(ServerProcess process)
    {
        _process = process;
    }

    public Uri Address => _process.Address;

    /// <summary>Starts prometheus scraping <c>/metrics</c> at <paramref name="target"/> (<c>host:port</c>) as the job <c>chat</c>.</summary>
    public static async Task<PrometheusServer> StartAsync(string target)
    {
        var directory = Directory.CreateTempSubdirectory("signalrchat-prometheus-").FullName;
        var configuration = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configuration, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: chat
                metrics_path: /metrics
                static_configs:
                  - targets: ['{target}']
            """);
        var port = FreePort.Next();
        string[] arguments =
        [
            $"--config.file={configuration}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        ];
        var process = ServerProcess.Start("prometheus", Executable(), arguments, port, workingDirectory: directory, ownDirectory: directory);
        var server = new PrometheusServer(process);
        try
        {
            await process.WaitUntilReadyAsync(token => process.AnswersAsync("/-/ready", token), StartTimeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>The value of an instant query that yields one series (e.g. <c>sum(...)</c>), or null while it yields none.</summary>
    public async Task<double?> QueryAsync(string query, CancellationToken cancellationToken = default)
    {
        using var response = await AskAsync(query, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var data = answer.RootElement.GetProperty("data");
        var result = data.GetProperty("result");
        if (result.GetArrayLength() == 0)
        {
            return null;
        }

        // An instant vector's sample is [time, "value"].
        return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Whether Prometheus takes <paramref name="query"/> as valid PromQL (it answers 400 with <c>"status": "error"</c> otherwise).</summary>
    public async Task<bool> AcceptsAsync(string query, CancellationToken cancellationToken = default)
    {
        using var response = await AskAsync(query, cancellationToken);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return answer.RootElement.GetProperty("status").GetString() == "success";
    }

    /// <summary>Asks <paramref name="query"/> again as Prometheus scrapes, until its value meets <paramref name="condition"/>.</summary>
    public async Task<double> WaitForAsync(string query, Func<double, bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        double? last = null;
        try
        {
            while (true)
            {
                last = await QueryAsync(query, deadline.Token);
                if (last is { } value && condition(value))
                {
                    return value;
                }

                await Task.Delay(250, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Prometheus answered {query} with {last?.ToString(CultureInfo.InvariantCulture) ?? "no series"} for {timeout}:\n{_process.Output}");
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private Task<HttpResponseMessage> AskAsync(string query, CancellationToken cancellationToken) =>
        Http.GetAsync(new Uri(Address, "/api/v1/query?query=" + Uri.EscapeDataString(query)), cancellationToken);

    private static string Executable() => File.Exists("/usr/bin/prometheus") ? "/usr/bin/prometheus" : "prometheus";
}
