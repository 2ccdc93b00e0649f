using ImapProxy.Cli;
using ImapProxy.Tests.Configuration;

namespace ImapProxy.Tests.Cli;

/// <summary>The result of one in-process CLI run.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Records what the commands handed to their runners, and answers with a chosen exit code.</summary>
internal sealed class RecordingRunners : IServeRunner, ISyncRunner, IStatusRunner, ICheckRunner
{
    public ServeRequest? Serve { get; private set; }
    public SyncRequest? Sync { get; private set; }
    public ConfigRequest? Status { get; private set; }
    public ConfigRequest? Check { get; private set; }
    public Func<CancellationToken, Task<int>> Behaviour { get; set; } = _ => Task.FromResult(0);

    public Task<int> RunAsync(ServeRequest request, CancellationToken cancellationToken)
    {
        Serve = request;
        return Behaviour(cancellationToken);
    }

    public Task<int> RunAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        Sync = request;
        return Behaviour(cancellationToken);
    }

    Task<int> IStatusRunner.RunAsync(ConfigRequest request, CancellationToken cancellationToken)
    {
        Status = request;
        return Behaviour(cancellationToken);
    }

    Task<int> ICheckRunner.RunAsync(ConfigRequest request, CancellationToken cancellationToken)
    {
        Check = request;
        return Behaviour(cancellationToken);
    }

    public CommandServices AsServices() => new(this, this, this, this);
}

internal static class CliHarness
{
    /// <summary>Runs the CLI in-process the way Program.Main does, with captured output.</summary>
    public static async Task<CliResult> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null,
        CommandServices? services = null, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliConsole(output, error),
            environment ?? new Dictionary<string, string> { ["HOME"] = "/nonexistent-home" },
            services ?? CommandServices.Default, handleSignals: false, cancellationToken);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Environment overrides pointing account <paramref name="account"/> at a port on 127.0.0.1 where nothing listens,
    /// so <c>check</c> fails fast and the same way on every machine (no DNS involved).
    /// </summary>
    public static Dictionary<string, string> ClosedUpstream(IReadOnlyDictionary<string, string> environment, string account = "personal")
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Dictionary<string, string>(environment)
        {
            [$"IMAPPROXY__ACCOUNT__{account}__HOST"] = "127.0.0.1",
            [$"IMAPPROXY__ACCOUNT__{account}__PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"IMAPPROXY__ACCOUNT__{account}__TLS"] = "none",
        };
    }

    /// <summary>A valid config whose state directory is inside the temp directory.</summary>
    public static TempConfig ValidConfig(string extraAccounts = "")
    {
        var config = new TempConfig();
        config.Write($"[general]\nstatedir = state\nmaildir = mail\n{TempConfig.MinimalAccount}\n{extraAccounts}");
        return config;
    }
}
