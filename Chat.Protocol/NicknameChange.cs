namespace Chat.Protocol;

public sealed record NicknameChange(string OldNickname, string NewNickname);
