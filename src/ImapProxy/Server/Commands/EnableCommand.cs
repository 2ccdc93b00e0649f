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
        var requested = new List<string>();
        var newlyEnabled = new HashSet<string>();
        while (!context.Args.AtEnd)
        {
            var name = context.Args.Atom("capability").ToUpperInvariant();
            requested.Add(name);
            var implied = name == "QRESYNC" ? new[] { "CONDSTORE", "QRESYNC" } : name == "CONDSTORE" ? new[] { "CONDSTORE" } : [];
            foreach (var capability in implied)
            {
                if (session.Enabled.Add(capability))
                {
                    newlyEnabled.Add(capability);
                }
            }
        }
        // RFC 5161 §3.2: ENABLED names what the client asked for and this command turned on; CONDSTORE turned on
        // only as QRESYNC's consequence is not listed (as in RFC 7162's examples and Dovecot 2.3).
        var listed = requested.Distinct().Where(newlyEnabled.Contains).ToList();
        if (session.Enabled.Contains("CONDSTORE"))
        {
            session.CondStoreActive = true;
        }
        context.Writer.Untagged(listed.Count == 0 ? "ENABLED" : "ENABLED " + string.Join(' ', listed));
        return ValueTask.FromResult(CommandResult.Ok("ENABLE completed"));
    }
}
