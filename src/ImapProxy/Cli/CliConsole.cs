namespace ImapProxy.Cli;

/// <summary>Where a command writes: normal output to <see cref="Out"/>, one-line errors and warnings to <see cref="Error"/>.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
public sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    /// <summary>The program name that starts every error and warning line.</summary>
    public const string ProgramName = "imapproxy";

    /// <summary>Standard output is a terminal, so live progress can be drawn on it.</summary>
    public bool OutIsTerminal { get; init; }

    /// <summary>Writes <c>imapproxy: message</c> as one line to stderr (line breaks and tabs are flattened).</summary>
    public void WriteError(string message) =>
        Error.WriteLine($"{ProgramName}: {Flatten(message)}");

    private static string Flatten(string message) =>
        string.Join(' ', message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Writes <c>imapproxy: warning: message</c> (unless the message already says warning) to stderr.</summary>
    public void WriteWarning(string message) =>
        WriteError(message.StartsWith("warning: ", StringComparison.Ordinal) ? message : $"warning: {message}");

    /// <summary>Writes <paramref name="message"/> as an error and returns <paramref name="exitCode"/>.</summary>
    public int Fail(int exitCode, string message)
    {
        WriteError(message);
        return exitCode;
    }
}
