namespace ImapProxy.Upstream.Auth;

/// <summary>
/// Where a credential comes from: a literal value from the configuration, or a command run each time the
/// credential is needed (so a rotated password or a refreshed OAuth token is picked up on the next connect).
/// </summary>
public sealed class SecretSource
{
    private readonly string _value;

    private SecretSource(string value, bool isCommand, string label, TimeSpan timeout)
    {
        _value = value;
        IsCommand = isCommand;
        Label = label;
        Timeout = timeout;
    }

    /// <summary>True when the secret is produced by running a command.</summary>
    public bool IsCommand { get; }

    /// <summary>Names the source in messages, e.g. <c>passwordcommand of [account personal]</c>; never the secret.</summary>
    public string Label { get; }

    /// <summary>How long the command may run (unused for literal secrets).</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The command line, or null for a literal secret (whose value is only available through <see cref="ResolveAsync"/>).</summary>
    public string? CommandLine => IsCommand ? _value : null;

    /// <summary>A secret given literally in the configuration.</summary>
    public static SecretSource Literal(string value, string label) => new(value, false, label, TimeSpan.Zero);

    /// <summary>A secret printed by a shell command (first line of stdout, trimmed).</summary>
    public static SecretSource Command(string commandLine, string label, TimeSpan? timeout = null) =>
        new(commandLine, true, label, timeout ?? SecretCommand.DefaultTimeout);

    /// <summary>Returns the secret, running the command if there is one.</summary>
    /// <exception cref="SecretCommandException">The command failed, timed out or printed nothing.</exception>
    public Task<string> ResolveAsync(CancellationToken cancellationToken) =>
        IsCommand
            ? SecretCommand.RunAsync(_value, Label, Timeout, cancellationToken)
            : Task.FromResult(_value);

    /// <summary>Describes the source without revealing a literal secret.</summary>
    public override string ToString() => IsCommand ? $"{Label}: command" : $"{Label}: literal";
}
