namespace Chat.Client;

/// <summary>Why connecting failed: <see cref="ChatConnectionException.Failure"/>.</summary>
public enum ConnectFailure
{
    /// <summary>Nothing answered at the address (refused, unresolvable, timed out).</summary>
    Unreachable,

    /// <summary>The server answered and refused the connection, e.g. the nickname is taken.</summary>
    Refused,
}
