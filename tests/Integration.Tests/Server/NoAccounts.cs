using ImapProxy.Server;
using ImapProxy.Store;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>A resolver that knows nobody: for tests of the listener and the not-authenticated state.</summary>
internal sealed class NoAccounts : IAccountResolver
{
    public ValueTask<AccountStore?> AuthenticateAsync(string user, string password, CancellationToken cancellationToken) =>
        ValueTask.FromResult<AccountStore?>(null);

    public IEnumerable<AccountStore> Stores => [];
}
