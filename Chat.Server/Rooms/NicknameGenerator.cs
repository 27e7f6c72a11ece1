using System.Security.Cryptography;

namespace Chat.Server.Rooms;

/// <summary>Names for users who did not ask for one: <c>user_</c>, six letters, two digits.</summary>
public static class NicknameGenerator
{
    public static string Next()
    {
        Span<char> name = stackalloc char[13];
        "user_".AsSpan().CopyTo(name);
        for (var i = 5; i < 11; i++)
        {
            name[i] = (char)('a' + RandomNumberGenerator.GetInt32(26));
        }

        name[11] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        name[12] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        return new string(name);
    }
}
