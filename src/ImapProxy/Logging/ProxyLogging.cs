using ImapProxy.Configuration;
using ImapProxy.Upstream.Client;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Logging;

/// <summary>
/// How imapproxy logs: Microsoft.Extensions.Logging, one line per entry on stderr (so under systemd everything
/// lands in the journal, and <c>sync</c>'s progress on stdout stays clean), at the level from <c>loglevel</c> or
/// <c>--log-level</c>. With <c>--trace imap</c> the protocol traces of both the upstream connections and the local
/// server are logged under their own categories, whatever the level, with secrets redacted.
/// </summary>
internal static class ProxyLogging
{
    /// <summary>Category of upstream protocol trace lines.</summary>
    public const string UpstreamTraceCategory = "ImapProxy.Trace.Upstream";

    /// <summary>Category of local server protocol trace lines.</summary>
    public const string LocalTraceCategory = "ImapProxy.Trace.Local";

    /// <summary>The logger factory of a command: single-line console output on stderr.</summary>
    public static ILoggerFactory CreateFactory(LogLevel level, TraceTargets trace) =>
        LoggerFactory.Create(builder =>
        {
            builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
            Configure(builder, level, trace);
        });

    /// <summary>The level and category rules, apart from where the lines go (tests add their own provider).</summary>
    public static void Configure(ILoggingBuilder builder, LogLevel level, TraceTargets trace)
    {
        builder.SetMinimumLevel(level);
        // Kestrel's lifetime chatter ("Now listening on: http://…") misleads for an IMAP server; we log our own.
        builder.AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning);
        var traceLevel = trace.HasFlag(TraceTargets.Imap) ? LogLevel.Trace : LogLevel.None;
        builder.AddFilter(UpstreamTraceCategory, traceLevel);
        builder.AddFilter(LocalTraceCategory, traceLevel);
    }

    /// <summary>The trace for one upstream connection of <paramref name="account"/>, or null when not tracing.</summary>
    /// <remarks>The client redacts before it calls the trace: LOGIN/AUTHENTICATE arguments and SASL lines are <c>***</c>.</remarks>
    public static IProtocolTrace? UpstreamTrace(ILoggerFactory factory, TraceTargets trace, string account)
    {
        if (!trace.HasFlag(TraceTargets.Imap))
            return null;
        var logger = factory.CreateLogger(UpstreamTraceCategory);
        return new DelegateProtocolTrace((direction, line) =>
            logger.LogTrace("[{Account}] {Direction} {Line}", account, direction == TraceDirection.Client ? "C:" : "S:", line));
    }

    /// <summary>The trace for one local connection from <paramref name="remote"/>.</summary>
    public static ImapTraceRedactor LocalTrace(ILoggerFactory factory, string remote)
    {
        var logger = factory.CreateLogger(LocalTraceCategory);
        return new ImapTraceRedactor((direction, line) =>
            logger.LogTrace("[{Remote}] {Direction} {Line}", remote, direction == TraceDirection.Client ? "C:" : "S:", line));
    }
}
