using ImapProxy.Protocol;
using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

public sealed partial class ImapClient
{
    /// <summary>
    /// APPEND one or more messages. With MULTIAPPEND (RFC 3502) they go in one command, atomically; otherwise one
    /// APPEND each (pipelined when LITERAL+ spares the round trips). With UIDPLUS the new UIDs come back in
    /// <see cref="CopyResult.DestinationUids"/>, in message order.
    /// </summary>
    public async Task<CopyResult> AppendAsync(string mailbox, IReadOnlyList<AppendMessage> messages, CancellationToken cancellationToken = default)
    {
        if (messages.Count == 0) return new CopyResult(0, [], []);
        if (messages.Count > 1 && !Has("MULTIAPPEND"))
        {
            var tasks = messages.Select(m => AppendAsync(mailbox, [m], cancellationToken)).ToArray();
            var results = await Task.WhenAll(tasks).ConfigureAwait(false);
            return new CopyResult(results[0].UidValidity, [], results.SelectMany(r => r.DestinationUids).ToArray());
        }
        var builder = new CommandBuilder("APPEND").Raw("APPEND ");
        AppendMailbox(builder, mailbox);
        foreach (var message in messages)
        {
            if (message.Flags is { Count: > 0 } flags) builder.Raw($" ({string.Join(' ', flags)})");
            if (message.InternalDate is { } date) builder.Raw($" \"{ImapDate.FormatDateTime(date)}\"");
            builder.Raw(" ");
            builder.Literal(message.Content, message.Length);
        }
        var result = await RunOkAsync(builder, exclusive: false, cancellationToken).ConfigureAwait(false);
        return ParseUidPlusCode(result.Code, "APPENDUID") ?? new CopyResult(0, [], []);
    }

    /// <summary>Reads <c>APPENDUID v uids</c> or <c>COPYUID v src dst</c> (RFC 4315).</summary>
    internal static CopyResult? ParseUidPlusCode(string? code, string name)
    {
        if (code is null || !code.StartsWith(name + " ", StringComparison.OrdinalIgnoreCase)) return null;
        var parts = code[(name.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!uint.TryParse(parts[0], out var validity)) return null;
        if (name == "APPENDUID")
            return parts.Length == 2 && UidSet.TryParse(parts[1], out var appended) && !appended.Ranges.Any(r => r.Last == uint.MaxValue)
                ? new CopyResult(validity, [], appended.Enumerate().ToArray())
                : null;
        if (parts.Length != 3 || !UidSet.TryParse(parts[1], out var source) || !UidSet.TryParse(parts[2], out var destination)) return null;
        if (source.Ranges.Any(r => r.Last == uint.MaxValue) || destination.Ranges.Any(r => r.Last == uint.MaxValue) || source.Count != destination.Count) return null;
        return new CopyResult(validity, source.Enumerate().ToArray(), destination.Enumerate().ToArray());
    }
}
