using System.CommandLine;

namespace ImapProxy.Cli;

/// <summary><c>imapproxy serve</c>: the local IMAP server with background sync.</summary>
internal static class ServeCommand
{
    public static Command Create(CommandEnvironment env)
    {
        var config = CommonOptions.Config();
        var offline = new Option<bool>("--offline")
        {
            Description = "Serve the local mirror only; never connect to the upstream servers",
        };
        var trace = CommonOptions.Trace();
        var logLevel = CommonOptions.LogLevel();
        var command = new Command("serve", "Run the local IMAP server on the mirror and keep it in sync with upstream")
        {
            config, offline, trace, logLevel,
        };
        command.SetAction((result, ct) => CommandAction.RunAsync(env, async () =>
        {
            var loaded = await env.LoadConfigAsync(result, config, ct).ConfigureAwait(false);
            await using var stateLock = await CommandEnvironment.LockAsync(loaded, ct).ConfigureAwait(false);
            var request = new ServeRequest(loaded, result.GetValue(offline),
                CommonOptions.TraceTargets(result.GetValue(trace)),
                CommonOptions.EffectiveLogLevel(result.GetValue(logLevel), loaded), env.Console);
            return await env.Services.Serve.RunAsync(request, ct).ConfigureAwait(false);
        }, ct));
        return command;
    }
}
