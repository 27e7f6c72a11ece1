using System.CommandLine;
using System.CommandLine.Parsing;
using Chat.Client.Console;

var nameArgument = new Argument<string?>("name")
{
    Description = "Your nickname, or your username to sign in. Without one the server assigns a nickname.",
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
var passwordStdinOption = new Option<bool>("--password-stdin")
{
    Description = "Sign in as <name>: the first line of the input is the password, the rest is chat input.",
};
var signInOption = new Option<bool>("--sign-in", "-p")
{
    Description = $"Sign in as <name>: ask for the password (not shown as you type). Scripts can set ${ConsoleOptions.PasswordVariable} instead.",
};

var root = new RootCommand(
    """
    Chat in rooms on a SignalRChat server from the terminal.
    Once connected, type /help for the commands; plain text goes to the active room.
    Works with piped input and output too, e.g.: printf '/join general\nhello\n/quit\n' | chat Bot
    To sign in to your account: chat alice --sign-in (asks for the password), chat alice --password-stdin,
    or $CHAT_PASSWORD; at a terminal, a name that belongs to an account also asks for its password.
    """)
{
    nameArgument,
    serverOption,
    roomOption,
    passwordStdinOption,
    signInOption,
};
root.SetAction((parse, cancellationToken) => ChatConsole.RunAsync(
    new ConsoleOptions(parse.GetValue(nameArgument), parse.GetValue(serverOption)!, parse.GetValue(roomOption) ?? [])
    {
        AskPassword = parse.GetValue(signInOption),
    },
    parse.GetValue(passwordStdinOption),
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
