using Chat.Protocol.Commands;

namespace Chat.Tests.Console;

public sealed class CommandParserTests
{
    [Theory]
    [InlineData("hello everyone", "SayCommand { Text = hello everyone }")]
    [InlineData("  spaced out  ", "SayCommand { Text = spaced out }")]
    [InlineData("//shrug", "SayCommand { Text = /shrug }")]
    [InlineData("/join general", "JoinCommand { Room = general }")]
    [InlineData("/JOIN #General", "JoinCommand { Room = #General }")]
    [InlineData("  /join   general  ", "JoinCommand { Room = general }")]
    [InlineData("/leave", "LeaveCommand { Room =  }")]
    [InlineData("/leave tech", "LeaveCommand { Room = tech }")]
    [InlineData("/list", "ListCommand { }")]
    [InlineData("/rooms", "RoomsCommand { }")]
    [InlineData("/who", "WhoCommand { Room =  }")]
    [InlineData("/who tech", "WhoCommand { Room = tech }")]
    [InlineData("/switch tech", "SwitchCommand { Room = tech }")]
    [InlineData("/nick Robert", "NickCommand { Nickname = Robert }")]
    [InlineData("/msg bob psst,  over here", "SendDirectCommand { Nickname = bob, Text = psst,  over here }")]
    [InlineData("/msg\tbob\thi", "SendDirectCommand { Nickname = bob, Text = hi }")]
    [InlineData("/history", "HistoryCommand { Count = 20 }")]
    [InlineData("/history 5", "HistoryCommand { Count = 5 }")]
    [InlineData("/history 200", "HistoryCommand { Count = 200 }")]
    [InlineData("/help", "HelpCommand { Command =  }")]
    [InlineData("/help join", "HelpCommand { Command = /join }")]
    [InlineData("/help /MSG", "HelpCommand { Command = /msg }")]
    [InlineData("/quit", "QuitCommand { }")]
    [InlineData("/exit", "QuitCommand { }")]
    [InlineData("/quit see you", "QuitCommand { }")]
    public void Each_command_is_understood_with_its_arguments(string line, string expected)
    {
        CommandParser.Parse(line)!.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("/join", "/join", "/join needs a room name.")]
    [InlineData("/join two words", "/join", "/join takes one room name; room names have no spaces.")]
    [InlineData("/leave a b", "/leave", "/leave takes at most one room name.")]
    [InlineData("/list everything", "/list", "/list takes no arguments.")]
    [InlineData("/rooms mine", "/rooms", "/rooms takes no arguments.")]
    [InlineData("/who a b", "/who", "/who takes at most one room name.")]
    [InlineData("/switch", "/switch", "/switch needs the name of a room you are in.")]
    [InlineData("/switch a b", "/switch", "/switch takes one room name; room names have no spaces.")]
    [InlineData("/nick", "/nick", "/nick needs the new nickname.")]
    [InlineData("/nick Bob Smith", "/nick", "/nick takes one nickname; nicknames have no spaces.")]
    [InlineData("/msg", "/msg", "/msg needs a nickname and a message.")]
    [InlineData("/msg bob", "/msg", "/msg needs a message after the nickname bob.")]
    [InlineData("/msg bob    ", "/msg", "/msg needs a message after the nickname bob.")]
    [InlineData("/history lots", "/history", "/history takes a number of messages from 1 to 200.")]
    [InlineData("/history 0", "/history", "/history takes a number of messages from 1 to 200.")]
    [InlineData("/history 201", "/history", "/history takes a number of messages from 1 to 200.")]
    [InlineData("/history -3", "/history", "/history takes a number of messages from 1 to 200.")]
    [InlineData("/history 5 6", "/history", "/history takes a number of messages from 1 to 200.")]
    [InlineData("/help join leave", "/help", "/help takes at most one command name.")]
    public void Bad_arguments_are_explained_without_sending_anything(string line, string command, string problem)
    {
        CommandParser.Parse(line).Should().Be(new InvalidCommand(command, problem));
    }

    [Theory]
    [InlineData("/frobnicate now", "/frobnicate")]
    [InlineData("/JOINX general", "/joinx")]
    [InlineData("/", "/")]
    [InlineData("/ hello", "/")]
    public void An_unknown_command_is_reported_as_such(string line, string name)
    {
        CommandParser.Parse(line).Should().Be(new UnknownCommand(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void A_blank_line_is_nothing_to_do(string line)
    {
        CommandParser.Parse(line).Should().BeNull();
    }
}
