using System.Security.Cryptography;
using System.Text;
using ImapProxy.Store;

namespace ImapProxy.Server;

/// <summary>Checks local credentials and gives the account's mirror.</summary>
public interface IAccountResolver
{
    /// <summary>The account whose localuser/localpassword match, or null. Never anonymous.</summary>
    ValueTask<AccountStore?> AuthenticateAsync(string user, string password, CancellationToken cancellationToken);

    /// <summary>Every account's mirror (the idle memory trimmer visits them).</summary>
    IEnumerable<AccountStore> Stores { get; }
}

/// <summary>A fixed set of accounts, as the configuration lists them.</summary>
public sealed class StaticAccountResolver : IAccountResolver
{
    private readonly IReadOnlyList<(string User, byte[] Password, AccountStore Store)> _accounts;

    /// <summary>Creates the resolver from (localuser, localpassword, store) triples.</summary>
    public StaticAccountResolver(IEnumerable<(string User, string Password, AccountStore Store)> accounts) =>
        _accounts = accounts.Select(a => (a.User, Encoding.UTF8.GetBytes(a.Password), a.Store)).ToList();

    /// <inheritdoc />
    public IEnumerable<AccountStore> Stores => _accounts.Select(a => a.Store).Distinct();

    /// <inheritdoc />
    public ValueTask<AccountStore?> AuthenticateAsync(string user, string password, CancellationToken cancellationToken)
    {
        var given = Encoding.UTF8.GetBytes(password);
        AccountStore? found = null;
        foreach (var account in _accounts)
        {
            // Compare every password in constant time so the answer's timing tells nothing.
            bool passwordMatches = CryptographicOperations.FixedTimeEquals(account.Password, given);
            if (passwordMatches && account.Password.Length > 0 && string.Equals(account.User, user, StringComparison.Ordinal))
            {
                found = account.Store;
            }
        }
        return ValueTask.FromResult(found);
    }
}
