namespace Chat.Client.Console;

internal static class ExitCodes
{
    /// <summary>/quit, the end of the input, or Ctrl+C once connected.</summary>
    public const int Success = 0;

    /// <summary>Never connected (nickname refused, stopped while retrying), or the server closed the connection for good.</summary>
    public const int Failure = 1;
}
