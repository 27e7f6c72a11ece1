using Chat.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddChatHistory();
builder.AddChatRooms();
builder.AddChatHub();

var app = builder.Build();

app.MapChat();

app.Run();

/// <summary>The entry point, public so tests can refer to the server's assembly.</summary>
public partial class Program;
