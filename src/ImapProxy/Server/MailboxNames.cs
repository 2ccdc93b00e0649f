using ImapProxy.Protocol;

namespace ImapProxy.Server;

/// <summary>Mailbox names between the wire (modified UTF-7, RFC 3501 §5.1.3) and the store (Unicode, "/" separated).</summary>
internal static class MailboxNames
{
    public const string Inbox = "INBOX";

    /// <summary>The store's name for a name the client sent; INBOX in any case is INBOX.</summary>
    public static string FromWire(string wire)
    {
        if (wire.Length == 0)
        {
            throw new CommandSyntaxException("Empty mailbox name");
        }
        var name = FromWireRaw(wire);
        if (name.Equals(Inbox, StringComparison.OrdinalIgnoreCase))
        {
            return Inbox;
        }
        if (name.StartsWith("INBOX/", StringComparison.OrdinalIgnoreCase))
        {
            return Inbox + name[5..];
        }
        return name;
    }

    /// <summary>A reference or pattern: decoded but not checked for emptiness (LIST "" "" is legal).</summary>
    public static string FromWireRaw(string wire) =>
        MailboxName.TryDecodeUtf7(wire, out var name, out var error)
            ? name!
            : throw new CommandSyntaxException($"Mailbox name {ImapSession.Printable(wire)} is not valid modified UTF-7: {error}");

    public static string ToWire(string name) => MailboxName.EncodeUtf7(name);
}
