using System.CommandLine;
using ImapProxy.Configuration;
using ImapProxy.Hosting;

namespace ImapProxy.Cli;

/// <summary>What every command action needs: where to write, the environment, and the components.</summary>
/// <param name="Console">Standard output and error.</param>
/// <param name="Environment">Environment variables (config path, overrides, HOME).</param>
/// <param name="Services">The components behind the commands.</param>
internal sealed record CommandEnvironment(
    CliConsole Console, IReadOnlyDictionary<string, string> Environment, CommandServices Services)
{
    /// <summary>Loads and validates the configuration named by <c>--config</c> or the default path.</summary>
    public Task<ProxyConfig> LoadConfigAsync(ParseResult result, Option<string> configOption,
        CancellationToken cancellationToken)
    {
        var path = result.GetValue(configOption) ?? ConfigPaths.DefaultConfigFile(Environment);
        return ConfigLoader.LoadAsync(path, Environment, Console.WriteWarning, cancellationToken);
    }

    /// <summary>Takes the state directory lock that keeps a second serve or sync away.</summary>
    public static Task<StateLock> LockAsync(ProxyConfig config, CancellationToken cancellationToken) =>
        StateLock.AcquireAsync(config.General.StateDir, cancellationToken);
}
