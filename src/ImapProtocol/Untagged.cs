using System.Text;

namespace ImapProxy.Protocol;

/// <summary>Typed readers of untagged data. Each answers false (with a message) when the response is not of its
/// kind or is malformed; none throws on server input.</summary>
public static class Untagged
{
    /// <summary><c>* n EXISTS</c>, <c>* n RECENT</c>, <c>* n EXPUNGE</c>: the number, when the keyword matches.</summary>
    public static bool TryGetNumber(ImapResponse response, string keyword, out uint number)
    {
        number = response.Number ?? 0;
        return response.Number is not null && response.Name == keyword;
    }

    /// <summary>CAPABILITY and ENABLED data, or a [CAPABILITY …] code: the atoms.</summary>
    public static bool TryGetAtoms(ImapResponse response, out IReadOnlyList<string> atoms)
    {
        atoms = [];
        if (response.Code?.Kind == ResponseCodeKind.Capability) { atoms = response.Code.Values; return true; }
        if (response.Name is not ("CAPABILITY" or "ENABLED")) return false;
        var list = new List<string>(response.Data.Count);
        foreach (var v in response.Data)
        {
            if (v.Kind != ImapValueKind.Atom) return false;
            list.Add(v.AsString()!);
        }
        atoms = list;
        return true;
    }

    /// <summary><c>* FLAGS (…)</c>: the flags.</summary>
    public static bool TryGetFlags(ImapResponse response, out IReadOnlyList<string> flags)
    {
        flags = [];
        if (response.Name != "FLAGS" || response.Data.Count != 1 || !response.Data[0].IsList) return false;
        var list = new List<string>();
        foreach (var v in response.Data[0].Items)
        {
            if (v.Kind != ImapValueKind.Atom) return false;
            list.Add(ImapFlags.Normalize(v.AsString()!));
        }
        flags = list;
        return true;
    }

    /// <summary><c>* SEARCH 2 3 (MODSEQ 917162500)</c>: the numbers and the optional MODSEQ.</summary>
    public static bool TryGetSearch(ImapResponse response, out IReadOnlyList<uint> numbers, out ulong? modSeq)
    {
        numbers = [];
        modSeq = null;
        if (response.Name != "SEARCH") return false;
        var list = new List<uint>(response.Data.Count);
        foreach (var v in response.Data)
        {
            if (v.IsList && v.Items.Count == 2 && v.Items[0].IsAtom("MODSEQ") && v.Items[1].TryGetNumber(out var m)) { modSeq = m; continue; }
            if (!v.TryGetNumber(out var n) || n == 0 || n > uint.MaxValue) return false;
            list.Add((uint)n);
        }
        numbers = list;
        return true;
    }

    /// <summary><c>* ESEARCH (TAG "a") UID MIN 2 MAX 9 COUNT 4 ALL 2,4:5,9</c>.</summary>
    public static bool TryGetESearch(ImapResponse response, out ESearchResponse? result)
    {
        result = null;
        if (response.Name != "ESEARCH") return false;
        var data = response.Data;
        var i = 0;
        string? tag = null;
        if (i < data.Count && data[i].IsList)
        {
            var c = data[i].Items;
            if (c.Count != 2 || !c[0].IsAtom("TAG") || !c[1].IsAstring) return false;
            tag = c[1].AsString();
            i++;
        }
        var uid = i < data.Count && data[i].IsAtom("UID");
        if (uid) i++;
        uint? min = null, max = null;
        ulong? count = null, modseq = null;
        SequenceSet? all = null;
        for (; i + 1 < data.Count; i += 2)
        {
            var name = data[i];
            var value = data[i + 1];
            if (name.IsAtom("ALL"))
            {
                if (!SequenceSet.TryParse(value.Bytes.Span, out all, out _)) return false;
                continue;
            }
            if (!value.TryGetNumber(out var n)) continue; // an extension's value (e.g. PARTIAL); skipped
            if (name.IsAtom("MIN")) min = (uint)n;
            else if (name.IsAtom("MAX")) max = (uint)n;
            else if (name.IsAtom("COUNT")) count = n;
            else if (name.IsAtom("MODSEQ")) modseq = n;
        }
        if (i != data.Count) return false;
        result = new ESearchResponse { Tag = tag, Uid = uid, Min = min, Max = max, Count = count, All = all, ModSeq = modseq };
        return true;
    }

    /// <summary><c>* VANISHED (EARLIER) 41,43:116</c>.</summary>
    public static bool TryGetVanished(ImapResponse response, out VanishedResponse? result)
    {
        result = null;
        if (response.Name != "VANISHED" || response.Data.Count is < 1 or > 2) return false;
        var earlier = response.Data.Count == 2;
        if (earlier && !(response.Data[0].IsList && response.Data[0].Items.Count == 1 && response.Data[0].Items[0].IsAtom("EARLIER")))
            return false;
        if (!SequenceSet.TryParse(response.Data[^1].Bytes.Span, out var set, out _) || set!.IsSavedResult) return false;
        result = new VanishedResponse { Earlier = earlier, Uids = set };
        return true;
    }

    /// <summary><c>* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)</c>.</summary>
    public static bool TryGetStatus(ImapResponse response, bool utf8, out StatusResponse? result)
    {
        result = null;
        if (response.Name != "STATUS" || response.Data.Count != 2 || !response.Data[1].IsList) return false;
        if (!TryDecodeName(response.Data[0], utf8, out var mailbox, out _)) return false;
        var items = new Dictionary<string, ulong>(StringComparer.OrdinalIgnoreCase);
        var list = response.Data[1].Items;
        if (list.Count % 2 != 0) return false;
        for (var i = 0; i < list.Count; i += 2)
        {
            if (list[i].Kind != ImapValueKind.Atom || !list[i + 1].TryGetNumber(out var n)) return false;
            items[list[i].AsString()!.ToUpperInvariant()] = n;
        }
        result = new StatusResponse { Mailbox = mailbox, Items = items };
        return true;
    }

    /// <summary><c>* LIST (\HasNoChildren) "/" INBOX</c> (also LSUB, XLIST), with RFC 5258 extended data.</summary>
    public static bool TryGetList(ImapResponse response, bool utf8, out ListResponse? result)
    {
        result = null;
        if (response.Name is not ("LIST" or "LSUB" or "XLIST") || response.Data.Count < 3) return false;
        var data = response.Data;
        if (!data[0].IsList) return false;
        var attributes = new List<string>(data[0].Items.Count);
        foreach (var a in data[0].Items)
        {
            if (a.Kind != ImapValueKind.Atom) return false;
            attributes.Add(a.AsString()!);
        }
        char? delimiter = null;
        if (!data[1].IsNil)
        {
            if (!data[1].IsString || data[1].Bytes.Length != 1) return false;
            delimiter = (char)data[1].Bytes.Span[0];
        }
        if (!data[2].IsAstring) return false;
        var valid = TryDecodeName(data[2], utf8, out var mailbox, out var encoded);
        var extended = new List<KeyValuePair<string, ImapValue>>();
        if (data.Count > 3)
        {
            if (data.Count != 4 || !data[3].IsList || data[3].Items.Count % 2 != 0) return false;
            for (var i = 0; i < data[3].Items.Count; i += 2)
                extended.Add(new(data[3].Items[i].AsString()?.ToUpperInvariant() ?? "", data[3].Items[i + 1]));
        }
        result = new ListResponse
        {
            Attributes = attributes, Delimiter = delimiter, Mailbox = valid ? mailbox : encoded, EncodedName = encoded,
            NameIsValid = valid, Extended = extended,
        };
        return true;
    }

    /// <summary><c>* NAMESPACE (("" "/")) NIL (("#shared/" "/"))</c>.</summary>
    public static bool TryGetNamespace(ImapResponse response, out NamespaceResponse? result)
    {
        result = null;
        if (response.Name != "NAMESPACE" || response.Data.Count != 3) return false;
        var groups = new List<NamespaceEntry>[3];
        for (var g = 0; g < 3; g++)
        {
            groups[g] = [];
            var v = response.Data[g];
            if (v.IsNil) continue;
            if (!v.IsList) return false;
            foreach (var entry in v.Items)
            {
                if (!entry.IsList || entry.Items.Count < 2 || !entry.Items[0].IsString) return false;
                var d = entry.Items[1];
                char? delimiter = d.IsNil ? null : d.IsString && d.Bytes.Length == 1 ? (char)d.Bytes.Span[0] : (char?)null;
                if (!d.IsNil && delimiter is null) return false;
                groups[g].Add(new NamespaceEntry(entry.Items[0].AsString()!, delimiter));
            }
        }
        result = new NamespaceResponse { Personal = groups[0], OtherUsers = groups[1], Shared = groups[2] };
        return true;
    }

    /// <summary><c>* ID ("name" "Dovecot")</c> or <c>* ID NIL</c>: the fields.</summary>
    public static bool TryGetId(ImapResponse response, out IReadOnlyDictionary<string, string?> fields)
    {
        var dict = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        fields = dict;
        if (response.Name != "ID" || response.Data.Count != 1) return false;
        var v = response.Data[0];
        if (v.IsNil) return true;
        if (!v.IsList || v.Items.Count % 2 != 0) return false;
        for (var i = 0; i < v.Items.Count; i += 2)
        {
            if (!v.Items[i].IsString) return false;
            dict[v.Items[i].AsString()!] = v.Items[i + 1].AsString();
        }
        return true;
    }

    private static bool TryDecodeName(in ImapValue value, bool utf8, out string mailbox, out string encoded)
    {
        encoded = Encoding.UTF8.GetString(value.Bytes.Span);
        mailbox = encoded;
        if (!value.IsAstring) return false;
        if (utf8)
        {
            mailbox = MailboxName.NormalizeInbox(encoded);
            return true;
        }
        if (!MailboxName.TryDecodeUtf7(value.Bytes.Span, out var decoded, out _)) return false;
        mailbox = MailboxName.NormalizeInbox(decoded!);
        return true;
    }
}
