using System.CommandLine;
using System.CommandLine.Parsing;
using Chat.Client.Console;

var nameArgument = new Argument<string?>("name")
{
    Description = "Your nickname. Without one the server assigns one.",
    Arity = ArgumentArity.ZeroOrOne,
};
var serverOption = new Option<Uri>("--server", "-s")
{
    Description = $"The chat server's address. Default: ${ConsoleOptions.ServerVariable}, else {ConsoleOptions.DefaultServer}.",
    HelpName = "url",
    CustomParser = result => ParseServer(result, result.Tokens.Count > 0 ? result.Tokens[0].Value : DefaultServer()),
    DefaultValueFactory = result => ParseServer(result, DefaultServer())!,
};
var roomOption = new Option<string[]>("--room", "-r")
{
    Description = "A room to join at start; repeat it for more. The last one is the active room.",
    HelpName = "room",
};

var root = new RootCommand(
    """
    Chat in rooms on a SignalRChat server from the terminal.
    Once connected, type /help for the commands; plain text goes to the active room.
    Works with piped input and output too, e.g.: printf '/join general\nhello\n/quit\n' | chat Bot
    """)
{
    nameArgument,
    serverOption,
    roomOption,
};
root.SetAction((parse, cancellationToken) => ChatConsole.RunAsync(
    new ConsoleOptions(parse.GetValue(nameArgument), parse.GetValue(serverOption)!, parse.GetValue(roomOption) ?? []),
    cancellationToken));

// The client handles Ctrl+C itself (it leaves the rooms first), so the parser must not.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

static string DefaultServer() =>
    Environment.GetEnvironmentVariable(ConsoleOptions.ServerVariable) is { Length: > 0 } server ? server : ConsoleOptions.DefaultServer;

static Uri? ParseServer(ArgumentResult result, string text)
{
    if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
    {
        return uri;
    }

    result.AddError($"The server address must be an http:// or https:// URL, like {ConsoleOptions.DefaultServer}; got '{text}'.");
    return null;
}
