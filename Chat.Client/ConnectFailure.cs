namespace Chat.Client;

/// <summary>Why connecting failed: <see cref="ChatConnectionException.Failure"/>.</summary>
public enum ConnectFailure
{
    /// <summary>Nothing answered at the address (refused, unresolvable, timed out).</summary>
    Unreachable,

    /// <summary>The server answered and refused the connection, e.g. the nickname is taken.</summary>
    Refused,

    /// <summary>The server refused the username and password (<see cref="ChatClientOptions.Credentials"/>).</summary>
    SignInRefused,

    /// <summary>The server refused to sign in now because of too many attempts; trying later may work.</summary>
    Throttled,
}
