namespace ImapProxy.Server.Commands;

/// <summary>ENABLE (RFC 5161) for CONDSTORE and QRESYNC (which implies CONDSTORE, RFC 7162 §3.2.3); others are ignored.</summary>
internal sealed class EnableCommand : ICommandHandler
{
    public ValueTask<CommandResult> ExecuteAsync(CommandContext context)
    {
        if (context.Args.AtEnd)
        {
            throw new CommandSyntaxException("ENABLE needs at least one capability");
        }
        var session = context.Session;
        var newlyEnabled = new List<string>();
        while (!context.Args.AtEnd)
        {
            var name = context.Args.Atom("capability").ToUpperInvariant();
            var implied = name == "QRESYNC" ? new[] { "CONDSTORE", "QRESYNC" } : name == "CONDSTORE" ? new[] { "CONDSTORE" } : [];
            foreach (var capability in implied)
            {
                if (session.Enabled.Add(capability))
                {
                    newlyEnabled.Add(capability);
                }
            }
        }
        if (session.Enabled.Contains("CONDSTORE"))
        {
            session.CondStoreActive = true;
        }
        context.Writer.Untagged(newlyEnabled.Count == 0 ? "ENABLED" : "ENABLED " + string.Join(' ', newlyEnabled));
        return ValueTask.FromResult(CommandResult.Ok("ENABLE completed"));
    }
}
