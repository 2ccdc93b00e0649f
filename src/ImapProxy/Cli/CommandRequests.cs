using ImapProxy.Configuration;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Cli;

/// <summary>What <c>imapproxy serve</c> asks for, with the configuration already loaded and validated.</summary>
/// <param name="Config">The validated configuration.</param>
/// <param name="Offline">Serve the local mirror only; never connect upstream.</param>
/// <param name="Trace">What to trace to stderr.</param>
/// <param name="LogLevel">Minimum log level (<c>--log-level</c>, else <c>loglevel</c> from the file).</param>
/// <param name="Console">Where to write.</param>
public sealed record ServeRequest(
    ProxyConfig Config, bool Offline, TraceTargets Trace, LogLevel LogLevel, CliConsole Console);

/// <summary>What <c>imapproxy sync</c> asks for.</summary>
/// <param name="Config">The validated configuration.</param>
/// <param name="Accounts">The accounts to sync: those given with <c>-a</c>, else every active account.</param>
/// <param name="Folders">Folder names given with <c>-f</c> (applied to each account), or empty for all folders.</param>
/// <param name="DryRun">Report what would change; change nothing on either side.</param>
/// <param name="AllowMassDelete">Let deletions through that the <see cref="MassDeleteGuard"/> would stop.</param>
/// <param name="Quiet">Print nothing but errors.</param>
/// <param name="Trace">What to trace to stderr.</param>
/// <param name="LogLevel">Minimum log level.</param>
/// <param name="Console">Where to write.</param>
public sealed record SyncRequest(
    ProxyConfig Config,
    IReadOnlyList<AccountConfig> Accounts,
    IReadOnlyList<string> Folders,
    bool DryRun,
    bool AllowMassDelete,
    bool Quiet,
    TraceTargets Trace,
    LogLevel LogLevel,
    CliConsole Console);

/// <summary>What <c>imapproxy status</c> and <c>imapproxy check</c> ask for.</summary>
/// <param name="Config">The validated configuration.</param>
/// <param name="Console">Where to write.</param>
public sealed record ConfigRequest(ProxyConfig Config, CliConsole Console);
