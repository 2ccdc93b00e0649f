using System.Text;
using ImapProxy.Protocol;

namespace ImapProxy.Server;

/// <summary>Sequence sets from command arguments, resolved against the selected mailbox's view.</summary>
internal static class SequenceSets
{
    public static SequenceSet Parse(string text)
    {
        if (!SequenceSet.TryParse(Encoding.ASCII.GetBytes(text), out var set, out var error))
        {
            throw new CommandSyntaxException($"Invalid sequence set {ImapSession.Printable(text)}: {error}");
        }
        if (set!.IsSavedResult)
        {
            throw new CommandSyntaxException("SEARCHRES ($) is not supported");
        }
        return set;
    }
}
