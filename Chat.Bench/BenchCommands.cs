using System.CommandLine;
using System.Text.Json;
using Chat.Bench.Baseline;
using Chat.Bench.Load;
using Chat.Bench.Reports;
using Chat.Bench.Scenarios;
using Chat.Bench.Servers;
using Chat.Testing;

namespace Chat.Bench;

/// <summary>
/// The command table. Every load scenario starts its own servers (the bare hub first, then ours),
/// measures, kills them, and prints a Markdown table with ours as ratios to the bare hub.
/// </summary>
public sealed class BenchCommands
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private readonly Option<Against> _against = new("--against")
    {
        Description = "Which servers to measure: both (the bare hub, then ours), ours or bare.",
        DefaultValueFactory = _ => Against.Both,
    };

    private readonly Option<string> _serverCpus = new("--server-cpus")
    {
        Description = "With --pin: the cores the servers run on (taskset list).",
        DefaultValueFactory = _ => "0",
    };

    private readonly Option<string?> _serverDll = new("--server-dll")
    {
        Description = "Chat.Server.dll to run (default: the repository's build of this program's configuration).",
    };

    private readonly Option<string[]> _serverSettings = new("--server-setting")
    {
        Description = "More configuration for our server as Key=Value (repeatable), e.g. Chat:History:MaxBatchSize=1024.",
    };

    private readonly Option<string[]> _serverEnvironment = new("--server-env")
    {
        Description = "An environment variable for our server as NAME=VALUE (repeatable), e.g. DOTNET_GCgen0size=0x400000 to try a runtime setting; NAME= unsets one of its launch profile's (DOTNET_GCgen0size= runs it with the runtime's default).",
    };

    private readonly Option<bool> _metrics = new("--metrics")
    {
        Description = "Run our server with its metrics pipeline on (OpenTelemetry meter provider and Prometheus endpoint on a free port); compare with a run without it for what metrics cost.",
    };

    private readonly Option<string?> _json = new("--json")
    {
        Description = "Also write the results to this file as JSON.",
    };

    private readonly Option<int> _concurrency = new("--concurrency")
    {
        Description = "Users connecting at once.",
        DefaultValueFactory = _ => 64,
    };

    public BenchCommands()
    {
        Root = new RootCommand(
            """
            Load generator and benchmark for SignalRChat. Each scenario starts the servers itself on
            free loopback ports (our Chat.Server with a fresh SQLite file and raised rate limits, and a
            bare SignalR hub as the baseline), measures them one after the other and prints our figures
            as ratios to the bare hub's. Run it in Release: dotnet run -c Release --project Chat.Bench -- fanout
            """)
        {
            FanoutCommand(),
            AckCommand(),
            RampCommand(),
            IdleCommand(),
            ConnectCommand(),
            StoreCommand(),
            CrossNodeCommand(),
            ServeBareCommand(),
        };
    }

    public RootCommand Root { get; }

    /// <summary>Pin the servers to --server-cpus and the generator to --generator-cpus (taskset).</summary>
    public Option<bool> Pin { get; } = new("--pin")
    {
        Description = "Pin the servers to --server-cpus and this generator to --generator-cpus (taskset; the generator re-runs itself under taskset).",
    };

    public Option<string> GeneratorCpus { get; } = new("--generator-cpus")
    {
        Description = "With --pin: the cores this generator runs on.",
        DefaultValueFactory = _ => "1",
    };

    private static Option<int> IntOption(string name, int defaultValue, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static Option<double> DoubleOption(string name, double defaultValue, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static void Print(string scenario, string description, string body)
    {
        Console.WriteLine($"## {scenario}");
        Console.WriteLine();
        Console.WriteLine(description);
        Console.WriteLine();
        Console.WriteLine(body);
    }

    private static void Progress(string line) => Console.Error.WriteLine(line);

    private static bool TooManyFiles(int connections)
    {
        if (FileLimits.Problem(connections) is { } problem)
        {
            Console.Error.WriteLine(problem);
            return true;
        }

        return false;
    }

    private static async Task WriteJsonAsync(string? path, object results, CancellationToken cancellationToken)
    {
        if (path is not null)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, JsonOptions), cancellationToken);
        }
    }

    private string Machine(ParseResult parse) =>
        $"Machine: {MachineCores()} cores, " +
        (!parse.GetValue(Pin) ? "not pinned"
            : parse.GetValue(_serverCpus) is { Length: > 0 } serverCpus ? $"servers pinned to cores {serverCpus}, generator to cores {parse.GetValue(GeneratorCpus)}"
            : $"pinned to cores {parse.GetValue(GeneratorCpus)}") +
        $"; load average {ProcessSample.LoadAverage()}. " +
        (Launcher(parse).OursEnvironment is { Count: > 0 } environment
            ? $"Ours runs with {string.Join(", ", environment.Select(pair => $"{pair.Key}={pair.Value}"))}."
            : "Ours runs with the runtime's defaults.") +
        (parse.GetValue(_metrics) ? " Ours has its metrics pipeline on." : " Ours has its metrics pipeline off.");

    private static int MachineCores()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").Count(line => line.StartsWith("processor", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return Environment.ProcessorCount;
        }
    }

    private void AddCommon(Command command, bool withAgainst = true)
    {
        if (withAgainst)
        {
            command.Add(_against);
        }

        command.Add(Pin);
        command.Add(_serverCpus);
        command.Add(GeneratorCpus);
        command.Add(_serverDll);
        command.Add(_serverSettings);
        command.Add(_serverEnvironment);
        command.Add(_metrics);
        command.Add(_json);
        command.Add(_concurrency);
    }

    private ServerLauncher Launcher(ParseResult parse) => new(new LaunchSettings
    {
        ServerDll = parse.GetValue(_serverDll),
        Pin = parse.GetValue(Pin),
        ServerCpus = parse.GetValue(_serverCpus)!,
        ServerSettings = parse.GetValue(_serverSettings) ?? [],
        ServerEnvironment = parse.GetValue(_serverEnvironment) ?? [],
        Metrics = parse.GetValue(_metrics),
    });

    private Command FanoutCommand() => FanoutLikeCommand(
        "fanout",
        "N users in R rooms, S senders per room at a fixed rate, B-byte messages; warm-up, then a measured window. Checks every delivery.",
        new FanoutSettings(),
        acknowledgementTargets: false);

    private Command AckCommand() => FanoutLikeCommand(
        "ack",
        "Send acknowledgement latency (for our hub: until the message is durable) at a given message rate: by default 100 users in 10 rooms, all sending, 1,000 messages/s in all.",
        new FanoutSettings { Connections = 100, Rooms = 10, SendersPerRoom = 10, RatePerSender = 10, WarmupSeconds = 3, DurationSeconds = 20 },
        acknowledgementTargets: true);

    private Command FanoutLikeCommand(string name, string description, FanoutSettings defaults, bool acknowledgementTargets)
    {
        var shape = new ShapeOptions(defaults);
        var command = new Command(name, description);
        shape.AddTo(command);
        AddCommon(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = shape.Read(parse) with { ConnectConcurrency = parse.GetValue(_concurrency) };
            if (TooManyFiles(settings.Connections))
            {
                return 2;
            }

            var launcher = Launcher(parse);
            var results = new List<FanoutResult>();
            foreach (var dialect in TargetServers.Of(parse.GetValue(_against)))
            {
                Progress($"{name}: {dialect.Name}: {settings.Connections:N0} users, {settings.Rooms} rooms, {settings.SendersPerRoom} sender(s) per room at {settings.PerSenderRate:N2} messages/s = {settings.OfferedDeliveriesPerSecond:N0} deliveries/s offered…");
                results.Add(await FanoutScenario.RunAsync(launcher, dialect, settings, cancellationToken));
            }

            Print(name, $"{Machine(parse)} {settings.Connections:N0} users in {settings.Rooms} rooms, {settings.SendersPerRoom} sender(s) per room, {settings.MessageBytes}-byte messages, {settings.WarmupSeconds:N0} s warm-up, {settings.DurationSeconds:N0} s measured.", ScenarioReports.Fanout(results, acknowledgementTargets));
            await WriteJsonAsync(parse.GetValue(_json), results, cancellationToken);
            return results.All(result => result.Correct) ? 0 : 1;
        });
        return command;
    }

    private Command RampCommand()
    {
        var shape = new ShapeOptions(new FanoutSettings(), withRate: false);
        var from = DoubleOption("--from", 10_000, "First offered rate, deliveries/s.");
        var step = DoubleOption("--step", 10_000, "Added each step, deliveries/s.");
        var to = DoubleOption("--to", 200_000, "Top offered rate, deliveries/s.");
        var stepSeconds = DoubleOption("--step-seconds", 10, "Measured seconds per step.");
        var bound = DoubleOption("--p99-bound", 50, "Stop when p99 latency passes this, ms.");
        var stepWarmup = DoubleOption("--step-warmup", 3, "Seconds at each step's rate before its window opens (--warmup is before the first step).");
        var command = new Command("ramp", "The fanout shape at rising rates, on the same connections, until p99 passes a bound or anything is lost, duplicated, reordered or refused.")
        {
            from, step, to, stepSeconds, stepWarmup, bound,
        };
        shape.AddTo(command);
        AddCommon(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var shapeSettings = shape.Read(parse) with { ConnectConcurrency = parse.GetValue(_concurrency) };
            if (TooManyFiles(shapeSettings.Connections))
            {
                return 2;
            }

            var settings = new RampSettings
            {
                Shape = shapeSettings,
                From = parse.GetValue(from),
                Step = parse.GetValue(step),
                To = parse.GetValue(to),
                StepSeconds = parse.GetValue(stepSeconds),
                WarmupSeconds = shapeSettings.WarmupSeconds,
                StepWarmupSeconds = parse.GetValue(stepWarmup),
                DrainSeconds = shapeSettings.DrainSeconds,
                P99BoundMilliseconds = parse.GetValue(bound),
            };
            var launcher = Launcher(parse);
            var results = new List<RampResult>();
            foreach (var dialect in TargetServers.Of(parse.GetValue(_against)))
            {
                Progress($"ramp: {dialect.Name}: {settings.From:N0} to {settings.To:N0} deliveries/s by {settings.Step:N0}…");
                results.Add(await RampScenario.RunAsync(launcher, dialect, settings, cancellationToken));
            }

            Print("ramp", $"{Machine(parse)} {shapeSettings.Connections:N0} users in {shapeSettings.Rooms} rooms, {shapeSettings.SendersPerRoom} sender(s) per room, {shapeSettings.MessageBytes}-byte messages; {settings.WarmupSeconds:N0} s warm-up at the first rate, then each step {settings.StepWarmupSeconds:N0} s at its rate + {settings.StepSeconds:N0} s measured.", ScenarioReports.Ramp(results));
            await WriteJsonAsync(parse.GetValue(_json), results, cancellationToken);
            return 0;
        });
        return command;
    }

    private Command IdleCommand()
    {
        var connections = IntOption("--connections", 5000, "Idle users, each in a room.");
        var roomSize = IntOption("--room-size", 100, "Users per room.");
        var settle = DoubleOption("--settle", 10, "Seconds the users sit idle before the memory is read.");
        var command = new Command("idle", "Server memory per idle connection: N users each in a room, sitting idle (pinging).") { connections, roomSize, settle };
        AddCommon(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new IdleSettings
            {
                Connections = parse.GetValue(connections),
                RoomSize = parse.GetValue(roomSize),
                SettleSeconds = parse.GetValue(settle),
                ConnectConcurrency = parse.GetValue(_concurrency),
            };
            if (TooManyFiles(settings.Connections))
            {
                return 2;
            }

            var launcher = Launcher(parse);
            var results = new List<IdleResult>();
            foreach (var dialect in TargetServers.Of(parse.GetValue(_against)))
            {
                Progress($"idle: {dialect.Name}: {settings.Connections:N0} users…");
                results.Add(await IdleScenario.RunAsync(launcher, dialect, settings, cancellationToken));
            }

            Print("idle", $"{Machine(parse)} {settings.Connections:N0} users in rooms of {settings.RoomSize}, idle for {settings.SettleSeconds:N0} s; memory is VmRSS after minus before.", ScenarioReports.Idle(results));
            await WriteJsonAsync(parse.GetValue(_json), results, cancellationToken);
            return results.All(result => result.Failures == 0 && result.Closed == 0) ? 0 : 1;
        });
        return command;
    }

    private Command ConnectCommand()
    {
        var connections = IntOption("--connections", 2000, "Users to connect.");
        var roomSize = IntOption("--room-size", 100, "Users per room.");
        var command = new Command("connect", "Connect + handshake + join per second, --concurrency at a time.") { connections, roomSize };
        AddCommon(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new ConnectSettings
            {
                Connections = parse.GetValue(connections),
                RoomSize = parse.GetValue(roomSize),
                ConnectConcurrency = parse.GetValue(_concurrency),
            };
            if (TooManyFiles(settings.Connections))
            {
                return 2;
            }

            var launcher = Launcher(parse);
            var results = new List<ConnectResult>();
            foreach (var dialect in TargetServers.Of(parse.GetValue(_against)))
            {
                Progress($"connect: {dialect.Name}: {settings.Connections:N0} users, {settings.ConnectConcurrency} at a time…");
                results.Add(await ConnectScenario.RunAsync(launcher, dialect, settings, cancellationToken));
            }

            Print("connect", $"{Machine(parse)} {settings.Connections:N0} users into rooms of {settings.RoomSize}, {settings.ConnectConcurrency} at a time.", ScenarioReports.Connect(results));
            await WriteJsonAsync(parse.GetValue(_json), results, cancellationToken);
            return results.All(result => result.Failures == 0) ? 0 : 1;
        });
        return command;
    }

    private Command StoreCommand()
    {
        var appenders = IntOption("--appenders", 256, "Concurrent appenders, each awaiting its append (as a hub sender does).");
        var batch = IntOption("--batch", new StoreSettings().MaxBatchSize, "The store's MaxBatchSize (appends per transaction).");
        var bytes = IntOption("--bytes", 128, "Message text size.");
        var warmup = DoubleOption("--warmup", 2, "Seconds before measuring.");
        var duration = DoubleOption("--duration", 10, "Measured seconds.");
        var command = new Command("store", "The history store alone, in this process: SqliteMessageStore durable appends per second with concurrent appenders.")
        {
            appenders, batch, bytes, warmup, duration, _json, Pin, GeneratorCpus,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new StoreSettings
            {
                Appenders = parse.GetValue(appenders),
                MaxBatchSize = parse.GetValue(batch),
                MessageBytes = parse.GetValue(bytes),
                WarmupSeconds = parse.GetValue(warmup),
                DurationSeconds = parse.GetValue(duration),
            };
            Progress($"store: {settings.Appenders} appenders for {settings.DurationSeconds:N0} s…");
            var result = await StoreScenario.RunAsync(settings, cancellationToken);
            Print("store", $"{Machine(parse)} {settings.MessageBytes}-byte messages, {settings.DurationSeconds:N0} s measured after {settings.WarmupSeconds:N0} s warm-up; SQLite in WAL mode with synchronous=FULL on a temporary folder.", ScenarioReports.Store(result));
            await WriteJsonAsync(parse.GetValue(_json), result, cancellationToken);
            return 0;
        });
        return command;
    }

    private Command CrossNodeCommand()
    {
        var shape = new ShapeOptions(new FanoutSettings());
        var command = new Command("crossnode", "The fanout shape on two nodes sharing a redis-server: senders on the first node, the other members split between both. The baseline is two bare hubs on Microsoft's Redis backplane.");
        shape.AddTo(command);
        AddCommon(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = shape.Read(parse) with { ConnectConcurrency = parse.GetValue(_concurrency) };
            if (TooManyFiles(settings.Connections))
            {
                return 2;
            }

            var launcher = Launcher(parse);
            var results = new List<FanoutResult>();
            foreach (var dialect in TargetServers.Of(parse.GetValue(_against)))
            {
                Progress($"crossnode: {dialect.Name}: {settings.Connections:N0} users over two nodes, {settings.OfferedDeliveriesPerSecond:N0} deliveries/s offered…");
                results.Add(await CrossNodeScenario.RunAsync(launcher, dialect, settings, cancellationToken));
            }

            Print("crossnode", $"{Machine(parse)} Two nodes and Redis; CPU and memory are the three processes together. Bare: two bare hubs with AddStackExchangeRedis (Microsoft.AspNetCore.SignalR.StackExchangeRedis, its defaults); ours: two Chat.Server nodes (the same backplane inside the cluster layer, and the registry).", ScenarioReports.Fanout(results));
            await WriteJsonAsync(parse.GetValue(_json), results, cancellationToken);
            return results.All(result => result.Correct) ? 0 : 1;
        });
        return command;
    }

    private static Command ServeBareCommand()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:5100" };
        var redis = new Option<string?>("--redis") { Description = "A Redis (e.g. 127.0.0.1:6379) to scale out through with Microsoft's SignalR Redis backplane; none by default." };
        var command = new Command("serve-bare", "Host the baseline: an ASP.NET Core app with a bare SignalR hub at /hubs/chat (Join, Send; Groups only).") { urls, redis };
        command.SetAction((parse, cancellationToken) => BareServer.RunAsync(parse.GetValue(urls)!, parse.GetValue(redis), cancellationToken));
        return command;
    }

    /// <summary>The options that shape a fanout run, with a command's own defaults.</summary>
    private sealed class ShapeOptions
    {
        private readonly FanoutSettings _defaults;
        private readonly bool _withRate;
        private readonly Option<int> _connections;
        private readonly Option<int> _rooms;
        private readonly Option<int> _senders;
        private readonly Option<double?> _rate;
        private readonly Option<double> _deliveries;
        private readonly Option<int> _bytes;
        private readonly Option<double> _warmup;
        private readonly Option<double> _duration;
        private readonly Option<double> _drain;

        public ShapeOptions(FanoutSettings defaults, bool withRate = true)
        {
            _defaults = defaults;
            _withRate = withRate;
            _connections = IntOption("--connections", defaults.Connections, "Users (WebSocket connections).");
            _rooms = IntOption("--rooms", defaults.Rooms, "Rooms; user i is in room i % rooms.");
            _senders = IntOption("--senders", defaults.SendersPerRoom, "Senders per room.");
            _rate = new Option<double?>("--rate") { Description = "Messages per second per sender (overrides --deliveries).", DefaultValueFactory = _ => defaults.RatePerSender };
            _deliveries = DoubleOption("--deliveries", defaults.DeliveriesPerSecond, "Offered deliveries per second over all rooms (sets the per-sender rate).");
            _bytes = IntOption("--bytes", defaults.MessageBytes, "Message text size in bytes.");
            _warmup = DoubleOption("--warmup", defaults.WarmupSeconds, "Seconds of sending before measuring.");
            _duration = DoubleOption("--duration", defaults.DurationSeconds, "Measured seconds.");
            _drain = DoubleOption("--drain", defaults.DrainSeconds, "Seconds to wait for the last deliveries after sending stops.");
        }

        public void AddTo(Command command)
        {
            command.Add(_connections);
            command.Add(_rooms);
            command.Add(_senders);
            if (_withRate)
            {
                command.Add(_rate);
                command.Add(_deliveries);
            }

            command.Add(_bytes);
            command.Add(_warmup);
            command.Add(_duration);
            command.Add(_drain);
        }

        public FanoutSettings Read(ParseResult parse) => _defaults with
        {
            Connections = parse.GetValue(_connections),
            Rooms = parse.GetValue(_rooms),
            SendersPerRoom = parse.GetValue(_senders),
            RatePerSender = _withRate ? parse.GetValue(_rate) : null,
            DeliveriesPerSecond = _withRate ? parse.GetValue(_deliveries) : _defaults.DeliveriesPerSecond,
            MessageBytes = parse.GetValue(_bytes),
            WarmupSeconds = parse.GetValue(_warmup),
            DurationSeconds = parse.GetValue(_duration),
            DrainSeconds = parse.GetValue(_drain),
        };
    }
}
