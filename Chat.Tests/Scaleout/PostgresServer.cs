using System.Diagnostics;
using Chat.Testing;
using Chat.Tests.Infrastructure;
using Npgsql;

namespace Chat.Tests.Scaleout;

/// <summary>
/// A real PostgreSQL server in a fresh data folder, on a free loopback port (its socket in that folder
/// too), killed by process id when disposed. PostgreSQL refuses to run as root, so when the tests run
/// as root the folder belongs to the postgres system user and the server runs as that user. Durability
/// settings are off: the tests kill chat servers, never this database.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string User = "chat";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static int _databases;

    private readonly TemporaryDirectory _directory;
    private readonly Process _process;

    private PostgresServer(TemporaryDirectory directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string AdminConnectionString => ConnectionString("postgres");

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinaries();
        var directory = new TemporaryDirectory();
        var data = Path.Combine(directory.Path, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", directory.Path]);
        }

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", User, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asRoot);

        var port = FreePort.Next();
        var start = Command(Path.Combine(bin, "postgres"), [
            "-D", data, "-p", port.ToString(), "-k", directory.Path,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=300",
        ], asRoot);
        var process = Process.Start(start) ?? throw new InvalidOperationException("postgres did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ChildProcesses.Track(process);

        var server = new PostgresServer(directory, process, port);
        await server.WaitUntilReadyAsync();
        return server;
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = User, Database = database, Pooling = true }.ToString();

    /// <summary>A new empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"chat_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Dispose();
    }

    /// <summary>The newest installed PostgreSQL (Debian keeps each major version in its own folder).</summary>
    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var found = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException("PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin); ./build.sh test installs it.");
    }

    private static ProcessStartInfo Command(string executable, string[] arguments, bool asPostgresUser)
    {
        // setpriv replaces itself with the command, so the process id is the server's own.
        var start = new ProcessStartInfo(asPostgresUser ? "setpriv" : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgresUser)
        {
            foreach (var argument in new[] { "--reuid=postgres", "--regid=postgres", "--init-groups", "--", executable })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = executable;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task RunAsync(string executable, string[] arguments, bool asPostgresUser = false)
    {
        using var process = Process.Start(Command(executable, arguments, asPostgresUser)) ?? throw new InvalidOperationException($"{executable} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{executable} failed with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"postgres exited with {_process.ExitCode} on port {Port}.");
            }

            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString + ";Pooling=false");
                await connection.OpenAsync(timeout.Token);
                return;
            }
            catch (NpgsqlException)
            {
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"PostgreSQL did not accept connections within {StartTimeout}.");
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
