using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Sync;

/// <summary>
/// A user's mailbox driven over raw IMAP (Dovecot directly, or our local server), independent of the code under test:
/// the trials change mail through it and read back what a server really holds. Messages are named by Message-ID.
/// Needs LITERAL+ and UIDPLUS (both servers have them).
/// </summary>
internal sealed partial class RawMailbox : IAsyncDisposable
{
    private readonly RawImapConnection _connection;
    private string? _selected;

    private RawMailbox(RawImapConnection connection) => _connection = connection;

    public static async Task<RawMailbox> LoginAsync(string host, int port, string user, string password)
    {
        var connection = await RawImapConnection.ConnectAsync(host, port);
        var mailbox = new RawMailbox(connection);
        await mailbox.OkAsync($"LOGIN {user} {password}");
        return mailbox;
    }

    public Task CreateAsync(string folder) => OkAsync($"CREATE \"{folder}\"");

    public async Task AppendAsync(string folder, byte[] message, string flags)
    {
        var command = $"APPEND \"{folder}\" ({flags}) {{{message.Length}+}}\r\n{Encoding.Latin1.GetString(message)}";
        await OkAsync(command);
    }

    public async Task SetFlagsAsync(string folder, string messageId, string flags) =>
        await OkAsync($"UID STORE {await UidOfAsync(folder, messageId)} FLAGS.SILENT ({flags})");

    public async Task ExpungeAsync(string folder, string messageId)
    {
        var uid = await UidOfAsync(folder, messageId);
        await OkAsync($"UID STORE {uid} +FLAGS.SILENT (\\Deleted)");
        await OkAsync($"UID EXPUNGE {uid}");
    }

    /// <summary>Changes one message's flags by UID (<c>+FLAGS (\Seen)</c>, <c>-FLAGS (\Seen)</c>); a UID no longer there changes nothing.</summary>
    public async Task StoreAsync(string folder, uint uid, string change)
    {
        await SelectAsync(folder);
        await OkAsync($"UID STORE {uid} {change}");
    }

    /// <summary>Expunges one message by UID, leaving other \Deleted messages alone; a UID no longer there changes nothing.</summary>
    public async Task ExpungeUidAsync(string folder, uint uid)
    {
        await SelectAsync(folder);
        await OkAsync($"UID STORE {uid} +FLAGS.SILENT (\\Deleted)");
        await OkAsync($"UID EXPUNGE {uid}");
    }

    public async Task MoveAsync(string from, string messageId, string to) =>
        await OkAsync($"UID MOVE {await UidOfAsync(from, messageId)} \"{to}\"");

    public async Task<uint> UidOfAsync(string folder, string messageId)
    {
        await SelectAsync(folder);
        var answer = await OkAsync($"UID SEARCH HEADER Message-ID \"{messageId}\"");
        var uids = answer.Untagged.Where(l => l.StartsWith("* SEARCH", StringComparison.Ordinal))
            .SelectMany(l => l[8..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (uids.Count != 1)
        {
            throw new InvalidOperationException($"{folder}: {uids.Count} messages with Message-ID {messageId}");
        }
        return uint.Parse(uids[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Every folder's messages as (Message-ID, SHA of the body, flags), read with FETCH BODY.PEEK[].</summary>
    public async Task<MailSnapshot> SnapshotAsync()
    {
        var snapshot = new MailSnapshot();
        var list = await OkAsync("LIST \"\" \"*\"");
        foreach (var line in list.Untagged)
        {
            var match = ListLine().Match(line);
            if (!match.Success || match.Groups[1].Value.Contains("\\Noselect", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var folder = match.Groups[2].Value.Trim('"');
            snapshot.AddFolder(folder);
            _selected = null;
            await SelectAsync(folder);
            var fetch = await OkAsync("UID FETCH 1:* (FLAGS BODY.PEEK[])");
            foreach (var response in fetch.Untagged.Where(l => l.Contains(" FETCH (", StringComparison.Ordinal) && l.Contains("BODY[] {", StringComparison.Ordinal)))
            {
                var flags = FlagsPart().Match(response).Groups[1].Value;
                var literal = LiteralPart().Match(response);
                var length = int.Parse(literal.Groups[1].Value, CultureInfo.InvariantCulture);
                var body = Encoding.Latin1.GetBytes(response.Substring(literal.Index + literal.Length, length));
                snapshot.Add(folder, body, MailFlags.Parse(flags));
            }
        }
        return snapshot;
    }

    private async Task SelectAsync(string folder)
    {
        if (_selected == folder)
        {
            await OkAsync("NOOP");
            return;
        }
        await OkAsync($"SELECT \"{folder}\"");
        _selected = folder;
    }

    private async Task<ImapExchange> OkAsync(string command)
    {
        var answer = await _connection.CommandAsync(command);
        if (!answer.IsOk)
        {
            throw new InvalidOperationException($"{command.Split("\r\n")[0]} → {answer.Completion}");
        }
        return answer;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _connection.CommandAsync("LOGOUT");
        }
        catch (IOException)
        {
        }
        await _connection.DisposeAsync();
    }

    [GeneratedRegex(@"^\* LIST \(([^)]*)\) (?:""[^""]*""|NIL) (.+)$")]
    private static partial Regex ListLine();

    [GeneratedRegex(@"FLAGS \(([^)]*)\)")]
    private static partial Regex FlagsPart();

    [GeneratedRegex(@"BODY\[\] \{(\d+)\}\r\n")]
    private static partial Regex LiteralPart();
}
