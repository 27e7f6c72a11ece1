namespace Chat.Server.Registry;

/// <summary>Redis cannot be used right now (down, hanging or not yet connected); the caller falls back to this node's view.</summary>
public sealed class RedisUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
