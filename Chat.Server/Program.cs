using Chat.Server.Hosting;
using Chat.Server.Scaleout;

var builder = WebApplication.CreateBuilder(args);

builder.AddChatHistory();
builder.AddChatRooms();
builder.AddChatHub();
builder.AddChatScaleout();

var app = builder.Build();

app.MapChat();
app.MapChatPage();

app.Run();

/// <summary>The entry point, public so tests can refer to the server's assembly.</summary>
public partial class Program;
