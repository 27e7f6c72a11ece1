using StackExchange.Redis;

namespace Chat.Server.Registry.Internal;

/// <summary>Reads the registry scripts' replies, which both the registry's operations and the node's duties get.</summary>
internal static class ScriptReplies
{
    /// <summary>A script's list of strings; a nil reply (nothing there) is an empty list.</summary>
    public static string[] Strings(RedisResult result) => result.IsNull ? [] : (string[])result!;
}
