using System.CommandLine;
using ImapProxy.Configuration;

namespace ImapProxy.Cli;

/// <summary><c>imapproxy sync</c>: one synchronization pass, then exit.</summary>
internal static class SyncCommand
{
    public static Command Create(CommandEnvironment env)
    {
        var config = CommonOptions.Config();
        var accounts = new Option<string[]>("--account", "-a")
        {
            Description = "Sync only these accounts (comma-separated or repeated) [default: all active accounts]",
            HelpName = "ACCOUNT,…",
        };
        var folders = new Option<string[]>("--folder", "-f")
        {
            Description = "Sync only these folders (comma-separated or repeated) [default: all folders]",
            HelpName = "FOLDER,…",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would change; change nothing" };
        var allowMassDelete = new Option<bool>("--allow-mass-delete")
        {
            Description = "Let through deletions the mass-delete guard would stop (massdeletepercent/massdeleteminimum)",
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only errors" };
        var trace = CommonOptions.Trace();
        var logLevel = CommonOptions.LogLevel();
        var command = new Command("sync", "Synchronize the mirror with the upstream servers once, then exit")
        {
            config, accounts, folders, dryRun, allowMassDelete, quiet, trace, logLevel,
        };
        command.SetAction((result, ct) => CommandAction.RunAsync(env, async () =>
        {
            var loaded = await env.LoadConfigAsync(result, config, ct).ConfigureAwait(false);
            var selected = SelectAccounts(loaded, CommonOptions.SplitCommas(result.GetValue(accounts)), env.Console);
            if (selected is null)
                return ExitCodes.Usage;
            await using var stateLock = await CommandEnvironment.LockAsync(loaded, ct).ConfigureAwait(false);
            var request = new SyncRequest(loaded, selected, CommonOptions.SplitCommas(result.GetValue(folders)),
                result.GetValue(dryRun), result.GetValue(allowMassDelete), result.GetValue(quiet),
                CommonOptions.TraceTargets(result.GetValue(trace)),
                CommonOptions.EffectiveLogLevel(result.GetValue(logLevel), loaded), env.Console);
            return await env.Services.Sync.RunAsync(request, ct).ConfigureAwait(false);
        }, ct));
        return command;
    }

    /// <summary>The accounts named by <c>-a</c>, or all active ones; null (error written) for an unknown name.</summary>
    internal static IReadOnlyList<AccountConfig>? SelectAccounts(
        ProxyConfig config, IReadOnlyList<string> names, CliConsole console)
    {
        if (names.Count == 0)
            return config.Accounts;
        var selected = new List<AccountConfig>();
        foreach (var name in names)
        {
            if (config.FindAccount(name) is not { } account)
            {
                var known = string.Join(", ", config.Accounts.Select(a => a.Name));
                console.WriteError($"sync: unknown account '{name}' in -a (active accounts: {known})");
                return null;
            }
            selected.Add(account);
        }
        return selected;
    }
}
