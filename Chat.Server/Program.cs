using Chat.Server.Accounts;
using Chat.Server.Accounts.Moderation;
using Chat.Server.Admin;
using Chat.Server.Doors;
using Chat.Server.History;
using Chat.Server.Hosting;
using Chat.Server.Hubs;
using Chat.Server.Registry;
using Chat.Server.Rooms;
using Chat.Server.Transport;

// Settings and the page live beside the assembly, wherever the server is started from (the SQLite file
// stays relative to the working folder).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.AddChatHistory();
builder.AddChatAccounts();
builder.AddChatRooms();
builder.AddChatHub();

// After Kestrel, which CreateBuilder registered: Kestrel takes the last memory pool factory registered.
builder.AddChatTransport();
builder.AddChatScaleout();
builder.AddChatAdmin();
builder.AddChatModeration();
builder.AddChatDoors();
builder.AddChatTelemetry();

var app = builder.Build();

app.MapChat();
app.MapChatAccounts();
app.MapChatDoors();
app.MapChatAdmin();
app.MapChatPage();

app.Run();

/// <summary>The entry point, public so tests can refer to the server's assembly.</summary>
public partial class Program;
