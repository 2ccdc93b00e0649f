using System.Diagnostics;
using ImapProxy.Configuration;
using ImapProxy.Upstream.Auth;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Cli;

/// <summary>
/// <c>imapproxy check</c>: the configuration is valid (the CLI checked that before calling), every account's
/// password and token commands run, and every upstream server answers and accepts the login; its capabilities are
/// printed. Each failure is one line on stderr (worded as <c>sync</c> words it); the exit code is the worst one (<see cref="ExitCodes"/>).
/// </summary>
internal sealed class CheckRunner : ICheckRunner
{
    public async Task<int> RunAsync(ConfigRequest request, CancellationToken cancellationToken)
    {
        var (config, console) = request;
        console.Out.WriteLine($"{config.SourcePath}: configuration is valid");
        var exit = ExitCodes.Ok;
        foreach (var account in config.Accounts)
        {
            console.Out.WriteLine(
                $"[account {account.Name}] {account.User} at {account.Host}:{account.Port} (tls {account.Tls.ToString().ToLowerInvariant()}), "
                + $"mirror {account.MaildirPath}, local user {account.LocalUser}");
            var code = await CheckSecretsAsync(account, console, cancellationToken).ConfigureAwait(false);
            if (code == ExitCodes.Ok)
            {
                // A failing secret command would only fail the login again: connect only when the secrets resolve.
                code = await CheckUpstreamAsync(account, console, cancellationToken).ConfigureAwait(false);
            }
            exit = Math.Max(exit, code);
        }
        return exit;
    }

    private static async Task<int> CheckSecretsAsync(AccountConfig account, CliConsole console, CancellationToken cancellationToken)
    {
        var exit = ExitCodes.Ok;
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
                exit = ExitCodes.Config;
                console.WriteError(e.Message);
            }
        }
        return exit;
    }

    private static async Task<int> CheckUpstreamAsync(AccountConfig account, CliConsole console, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await using var client = await ImapClient.ConnectAsync(account.ToUpstreamOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            var security = client.IsEncrypted ? "TLS" : "no TLS";
            console.Out.WriteLine($"  upstream: logged in as {account.User} ({security}) in {elapsed.TotalMilliseconds:0} ms");
            console.Out.WriteLine($"  capabilities: {string.Join(' ', Ordered(client.Capabilities))}");
            await client.LogoutAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (ImapProxy.Sync.SyncRunner.Classify(e) is { } failure)
        {
            console.WriteError($"[account {account.Name}] {failure.Message}");
            return failure.Code;
        }
    }

    /// <summary>IMAP4rev1/IMAP4rev2 first, then the rest by name.</summary>
    private static IEnumerable<string> Ordered(IReadOnlySet<string> capabilities) =>
        capabilities.OrderBy(c => c.StartsWith("IMAP4", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(c => c, StringComparer.OrdinalIgnoreCase);
}
