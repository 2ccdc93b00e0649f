using ImapProxy.Upstream.Auth;

namespace ImapProxy.Cli;

/// <summary>
/// <c>imapproxy check</c> as far as it goes without the upstream client: the configuration is valid (the CLI
/// checked that before calling), and every account's password and token commands run and print something.
/// Connecting and logging in to each server is for the upstream component to add.
/// </summary>
internal sealed class ConfigCheckRunner : ICheckRunner
{
    public async Task<int> RunAsync(ConfigRequest request, CancellationToken cancellationToken)
    {
        var (config, console) = request;
        console.Out.WriteLine($"{config.SourcePath}: configuration is valid");
        var failures = 0;
        foreach (var account in config.Accounts)
        {
            console.Out.WriteLine(
                $"[account {account.Name}] {account.User} at {account.Host}:{account.Port} (tls {account.Tls.ToString().ToLowerInvariant()}), "
                + $"mirror {account.MaildirPath}, local user {account.LocalUser}");
            foreach (var secret in new[] { account.Password, account.Token })
            {
                if (secret is not { IsCommand: true })
                    continue;
                try
                {
                    await secret.ResolveAsync(cancellationToken).ConfigureAwait(false);
                    console.Out.WriteLine($"  {secret.Label}: ok");
                }
                catch (SecretCommandException e)
                {
                    failures++;
                    console.WriteError(e.Message);
                }
            }
        }
        console.Out.WriteLine("upstream connections: not checked (the upstream client is not available in this build yet)");
        return failures == 0 ? ExitCodes.Ok : ExitCodes.Config;
    }
}
