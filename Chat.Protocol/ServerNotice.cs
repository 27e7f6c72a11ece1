namespace Chat.Protocol;

/// <summary>A message from the server itself to a connection, such as a restart warning.</summary>
public sealed record ServerNotice(string Kind, string Text);
