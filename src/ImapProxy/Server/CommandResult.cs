namespace ImapProxy.Server;

/// <summary>The status of a tagged response.</summary>
internal enum CommandOutcome
{
    Ok,
    No,
    Bad,
}

/// <summary>What a handler answers: the tagged status, an optional response code (without brackets) and text.</summary>
internal readonly record struct CommandResult(CommandOutcome Outcome, string Text, string? Code = null)
{
    public static CommandResult Ok(string text = "completed", string? code = null) => new(CommandOutcome.Ok, text, code);

    public static CommandResult No(string text, string? code = null) => new(CommandOutcome.No, text, code);

    public static CommandResult Bad(string text, string? code = null) => new(CommandOutcome.Bad, text, code);
}
