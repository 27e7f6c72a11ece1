using System.Threading.Channels;
using Chat.Protocol;
using Chat.Server.Accounts.Moderation;
using Chat.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Rooms;

/// <summary>
/// Sends <c>RoomsUpdated</c> to the lobby watchers when the registry or a room's topic changes, at most four times a
/// second: changes that arrive while a send is pending are folded into the next one.
/// </summary>
public sealed class LobbyBroadcaster : BackgroundService
{
    public const string GroupName = "lobby";

    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(250);

    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly IRoomRegistry _rooms;
    private readonly IHubContext<ChatHub, IChatClient> _hub;
    private readonly TimeProvider _time;
    private readonly ILogger<LobbyBroadcaster> _logger;
    private readonly RoomSettingsCache? _settings;

    /// <param name="settings">Where the rooms' topics come from; a topic's change is sent like a member's.</param>
    public LobbyBroadcaster(IRoomRegistry rooms, IHubContext<ChatHub, IChatClient> hub, TimeProvider time, ILogger<LobbyBroadcaster> logger, RoomSettingsCache? settings = null)
    {
        _rooms = rooms;
        _hub = hub;
        _time = time;
        _logger = logger;
        _settings = settings;
        _rooms.RoomsChanged += OnRoomsChanged;
        if (_settings is not null)
        {
            _settings.Changed += OnRoomsChanged;
        }
    }

    public override void Dispose()
    {
        _rooms.RoomsChanged -= OnRoomsChanged;
        if (_settings is not null)
        {
            _settings.Changed -= OnRoomsChanged;
        }

        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _changes.Reader.WaitToReadAsync(stoppingToken))
            {
                _changes.Reader.TryRead(out _);
                try
                {
                    var rooms = await _rooms.ListLobbyAsync(stoppingToken);
                    rooms = _settings?.WithTopics(rooms) ?? rooms;
                    await _hub.Clients.Group(GroupName).RoomsUpdated(rooms);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LobbyUpdateFailed(ex);
                }

                await Task.Delay(MinInterval, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void OnRoomsChanged() => _changes.Writer.TryWrite(true);
}
