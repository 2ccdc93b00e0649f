using System.Text.RegularExpressions;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>Where in a sync's conversation with the upstream a kill trial freezes the relay, then kills.</summary>
internal enum KillPoint
{
    /// <summary>The n-th journaled command is held back: the intent is written, the server never sees the command.</summary>
    BeforeCommand,

    /// <summary>The n-th journaled command reaches the server, its tagged reply is held back: done there, not recorded here.</summary>
    BeforeReply,

    /// <summary>The n-th journaled command's reply is passed on; the relay freezes at the next byte, the process goes on locally.</summary>
    AfterReply,

    /// <summary>A random byte of the whole traffic (mid-literal, mid-response, between commands).</summary>
    AtByte,
}

/// <summary>
/// Aims a kill inside the journaled work of an <c>imapproxy sync</c> run by watching its upstream conversation
/// through a <see cref="FaultRelay"/>: the commands every one of which the engine precedes with a journal intent
/// (a body download, APPEND, STORE, EXPUNGE, MOVE/COPY, CREATE/DELETE/RENAME). No hook in the product is needed.
/// </summary>
internal sealed partial class KillAim(KillPoint point, int command, long atByte)
{
    public KillPoint Point => point;

    /// <summary>Installs the aim on <paramref name="relay"/>.</summary>
    public void Arm(FaultRelay relay)
    {
        if (point == KillPoint.AtByte)
        {
            relay.FreezeAtTotalByte = atByte;
            return;
        }
        var seen = 0;
        (int Connection, string Tag)? target = null;
        var done = false;
        relay.FreezeOnLine = line =>
        {
            lock (this)
            {
                if (done)
                {
                    return false;
                }
                if (line.FromClient && target is null && IsJournaled(line.Text) && seen++ == command)
                {
                    target = (line.Connection, line.Text.Split(' ')[0]);
                    return point == KillPoint.BeforeCommand;
                }
                if (!line.FromClient && target is { } t && line.Connection == t.Connection && line.Text.StartsWith(t.Tag + " ", StringComparison.Ordinal))
                {
                    // Before the reply: hold it. After it: this chunk passes, and the relay is frozen for all that follows.
                    done = true;
                    if (point == KillPoint.AfterReply)
                    {
                        relay.Freeze($"connection {line.Connection}, after the reply \"{line.Text}\"");
                        return false;
                    }
                    return true;
                }
                return false;
            }
        };
    }

    public override string ToString() => point == KillPoint.AtByte ? $"at byte {atByte}" : $"{point} of journaled command #{command}";

    /// <summary>A client command the engine journals before sending (the line after the tag).</summary>
    public static bool IsJournaled(string clientLine) => Journaled().IsMatch(clientLine);

    [GeneratedRegex(@"^\S+ (UID FETCH \S+ .*(BODY|BINARY)(\.PEEK)?\[\]|APPEND |(UID )?STORE |(UID )?EXPUNGE|(UID )?MOVE |(UID )?COPY |CREATE |DELETE |RENAME )",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Journaled();
}
