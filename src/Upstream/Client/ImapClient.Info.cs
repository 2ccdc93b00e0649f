using ImapProxy.Protocol;
using ImapProxy.Upstream.Client.Wire;

namespace ImapProxy.Upstream.Client;

public sealed partial class ImapClient
{
    /// <summary>ID (RFC 2971): sends ours, stores and returns the server's (empty when it answers NIL or lacks ID).</summary>
    public async Task<IReadOnlyDictionary<string, string?>> IdAsync(IReadOnlyDictionary<string, string>? clientId = null, CancellationToken cancellationToken = default)
    {
        var server = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!Has("ID")) return server;
        var builder = new CommandBuilder("ID").Raw("ID ");
        if (clientId is null || clientId.Count == 0) builder.Raw("NIL");
        else
        {
            builder.Raw("(");
            var first = true;
            foreach (var (key, value) in clientId)
            {
                if (!first) builder.Raw(" ");
                first = false;
                builder.String(key, false).Raw(" ").String(value, false);
            }
            builder.Raw(")");
        }
        await RunOkAsync(builder, exclusive: false, cancellationToken, (in ResponseLine line, ResponseFrame frame) =>
        {
            if (line.Keyword != "ID") return false;
            var values = ResponseData.Values(line, frame);
            if (values.Length == 1 && values[0].IsList)
            {
                var items = values[0].Items;
                for (var i = 0; i + 1 < items.Count; i += 2)
                    server[ResponseData.Text(items[i], "ID field")] = ResponseData.NText(items[i + 1], "ID value");
            }
            return true;
        }).ConfigureAwait(false);
        ServerId = server;
        return server;
    }

    /// <summary>NAMESPACE (RFC 2342); without the capability, one personal namespace "" with the delimiter LIST reports.</summary>
    public async Task<Namespaces> NamespaceAsync(CancellationToken cancellationToken = default)
    {
        if (!Has("NAMESPACE"))
        {
            char? delimiter = null;
            await RunOkAsync(new CommandBuilder("LIST").Raw("LIST \"\" \"\""), exclusive: false, cancellationToken, (in ResponseLine line, ResponseFrame frame) =>
            {
                if (line.Keyword != "LIST") return false;
                var values = ResponseData.Values(line, frame);
                if (values.Length >= 2 && ResponseData.NText(values[1], "delimiter") is { Length: > 0 } d) delimiter = d[0];
                return true;
            }).ConfigureAwait(false);
            return new Namespaces([new NamespaceEntry("", delimiter)], [], []);
        }
        Namespaces? found = null;
        await RunOkAsync(new CommandBuilder("NAMESPACE").Raw("NAMESPACE"), exclusive: false, cancellationToken, (in ResponseLine line, ResponseFrame frame) =>
        {
            if (line.Keyword != "NAMESPACE") return false;
            var values = ResponseData.Values(line, frame);
            if (values.Length != 3) throw new ImapProtocolException($"malformed NAMESPACE response: {ResponseLine.Preview(frame.Span)}");
            found = new Namespaces(Entries(values[0]), Entries(values[1]), Entries(values[2]));
            return true;
        }).ConfigureAwait(false);
        return found ?? throw new ImapProtocolException($"{_options.Host} answered NAMESPACE with OK but sent no NAMESPACE data");
    }

    private IReadOnlyList<NamespaceEntry> Entries(in ImapValue value)
    {
        if (value.IsNil) return [];
        if (!value.IsList) throw ResponseData.Malformed("NAMESPACE", value);
        var entries = new List<NamespaceEntry>();
        foreach (var entry in value.Items)
        {
            if (!entry.IsList || entry.Items.Count < 2) throw ResponseData.Malformed("NAMESPACE entry", entry);
            var delimiter = ResponseData.NText(entry.Items[1], "NAMESPACE delimiter");
            entries.Add(new NamespaceEntry(DecodeMailbox(ResponseData.Text(entry.Items[0], "NAMESPACE prefix")), delimiter is { Length: > 0 } ? delimiter[0] : null));
        }
        return entries;
    }
}
