using System.CommandLine;
using ImapProxy.Configuration;

namespace ImapProxy.Cli;

/// <summary>Options several commands share; each command gets its own instances.</summary>
internal static class CommonOptions
{
    public static Option<string> Config() => new("--config", "-c")
    {
        Description = "Configuration file [default: $IMAPPROXY_CONFIG, else ~/.config/imapproxy/config.ini]",
        HelpName = "FILE",
    };

    public static Option<string[]> Trace()
    {
        var option = new Option<string[]>("--trace")
        {
            Description = "Trace protocol traffic to stderr, credentials masked (imap)",
            HelpName = "WHAT",
            Arity = ArgumentArity.OneOrMore,
        };
        option.AcceptOnlyFromAmong("imap");
        return option;
    }

    public static Option<string> LogLevel()
    {
        var option = new Option<string>("--log-level")
        {
            Description = "Minimum log level, overriding 'loglevel' in the file",
            HelpName = "LEVEL",
        };
        option.AcceptOnlyFromAmong("trace", "debug", "info", "warn", "error", "critical", "none");
        return option;
    }

    public static TraceTargets TraceTargets(string[]? values) =>
        values is not null && values.Contains("imap") ? Configuration.TraceTargets.Imap : Configuration.TraceTargets.None;

    public static Microsoft.Extensions.Logging.LogLevel EffectiveLogLevel(string? option, ProxyConfig config) =>
        option is not null ? ConfigKeys.LogLevels[option] : config.General.LogLevel;

    /// <summary>Splits repeated, comma-separated option values (<c>-a a,b -a c</c>) into one list.</summary>
    public static IReadOnlyList<string> SplitCommas(string[]? values) =>
        values is null
            ? []
            : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Distinct()
                .ToArray();
}
