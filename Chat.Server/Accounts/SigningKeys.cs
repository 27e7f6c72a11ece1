using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Chat.Server.Accounts;

/// <summary>
/// The key access tokens are signed and checked with: <c>Chat:Auth:SigningKey</c> when configured, else
/// one the server made once and keeps with its database (<see cref="IAccountStore.GetOrAddSigningKeyAsync"/>).
/// Loaded when the server starts, before it takes connections; never logged.
/// </summary>
public sealed class SigningKeys(IAccountStore store, IOptions<AuthOptions> options)
{
    private SymmetricSecurityKey? _current;

    public SymmetricSecurityKey Current => _current ?? throw new InvalidOperationException("The signing key is not loaded yet: the accounts initializer loads it on start.");

    /// <summary>Whether the key came from configuration rather than the database or the key file.</summary>
    public bool Configured => !string.IsNullOrEmpty(options.Value.SigningKey);

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        var key = Configured
            ? Encoding.UTF8.GetBytes(options.Value.SigningKey!)
            : await store.GetOrAddSigningKeyAsync(RandomNumberGenerator.GetBytes(32), cancellationToken);
        _current = new SymmetricSecurityKey(key);
    }
}
