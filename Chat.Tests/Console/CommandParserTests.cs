using Chat.Protocol.Commands;

namespace Chat.Tests.Console;

public sealed class CommandParserTests
{
    [Theory]
    [InlineData("hello everyone", "SayCommand { Text = hello everyone }")]
    [InlineData("  spaced out  ", "SayCommand { Text = spaced out }")]
    [InlineData("//shrug", "SayCommand { Text = /shrug }")]
    [InlineData("/join general", "JoinCommand { Room = general, Key =  }")]
    [InlineData("/JOIN #General", "JoinCommand { Room = #General, Key =  }")]
    [InlineData("  /join   general  ", "JoinCommand { Room = general, Key =  }")]
    [InlineData("/join vault s3cret", "JoinCommand { Room = vault, Key = s3cret }")]
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
    [InlineData("/topic Release  day", "TopicCommand { Text = Release  day }")]
    [InlineData("/topic", "TopicCommand { Text =  }")]
    [InlineData("/kick bob", "KickCommand { Nickname = bob, Reason =  }")]
    [InlineData("/kick bob stop  flooding", "KickCommand { Nickname = bob, Reason = stop  flooding }")]
    [InlineData("/ban bob", "RoleCommand { Action = ban, Nickname = bob }")]
    [InlineData("/UNBAN bob", "RoleCommand { Action = unban, Nickname = bob }")]
    [InlineData("/op carol", "RoleCommand { Action = op, Nickname = carol }")]
    [InlineData("/deop carol", "RoleCommand { Action = deop, Nickname = carol }")]
    [InlineData("/voice dave", "RoleCommand { Action = voice, Nickname = dave }")]
    [InlineData("/devoice dave", "RoleCommand { Action = devoice, Nickname = dave }")]
    [InlineData("/invite erin", "RoleCommand { Action = invite, Nickname = erin }")]
    [InlineData("/mode +i", "ModeCommand { Mode = +i, Key =  }")]
    [InlineData("/mode +k open-sesame", "ModeCommand { Mode = +k, Key = open-sesame }")]
    [InlineData("/mode -k", "ModeCommand { Mode = -k, Key =  }")]
    [InlineData("/mode +m", "ModeCommand { Mode = +m, Key =  }")]
    public void Each_command_is_understood_with_its_arguments(string line, string expected)
    {
        CommandParser.Parse(line)!.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("/join", "/join", "/join needs a room name.")]
    [InlineData("/join three words here", "/join", "/join takes a room name and, for a room with a key, the key; neither has spaces.")]
    [InlineData("/kick", "/kick", "/kick needs a nickname, and may give a reason after it.")]
    [InlineData("/ban", "/ban", "/ban needs a nickname.")]
    [InlineData("/op a b", "/op", "/op takes one nickname; nicknames have no spaces.")]
    [InlineData("/mode", "/mode", "/mode takes one of +i, -i, +k <key>, -k, +m or -m.")]
    [InlineData("/mode +x", "/mode", "/mode takes one of +i, -i, +k <key>, -k, +m or -m.")]
    [InlineData("/mode +k", "/mode", "/mode +k needs the key: /mode +k <key>.")]
    [InlineData("/mode +i extra", "/mode", "/mode takes one of +i, -i, +k <key>, -k, +m or -m.")]
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
