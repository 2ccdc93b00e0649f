using ImapProxy.Protocol;

namespace ImapProxy.Upstream.Client.Wire;

/// <summary>Reads a <c>* n FETCH (…)</c> response into a <see cref="FetchedMessage"/>.</summary>
internal static class FetchParser
{
    public static FetchedMessage Parse(in ResponseLine line, ResponseFrame frame)
    {
        if (line.Number <= 0 || line.Number > uint.MaxValue) throw new ImapProtocolException($"FETCH with a bad message number: {ResponseLine.Preview(frame.Span)}");
        var values = ResponseData.Values(line, frame);
        if (values.Length != 1 || !values[0].IsList) throw new ImapProtocolException($"malformed FETCH response: {ResponseLine.Preview(frame.Span)}");
        var message = new FetchedMessage { SequenceNumber = (uint)line.Number };
        var items = values[0].Items;
        if (items.Count % 2 != 0) throw new ImapProtocolException($"FETCH item without a value: {ResponseLine.Preview(frame.Span)}");
        for (var i = 0; i < items.Count; i += 2)
        {
            var name = items[i];
            var value = items[i + 1];
            if (name.Kind != ImapValueKind.Atom) throw ResponseData.Malformed("FETCH item name", name);
            var span = name.Bytes.Span;
            if (Is(span, "UID")) message.Uid = ResponseData.Number(value, "UID");
            else if (Is(span, "FLAGS")) message.Flags = ResponseData.Atoms(value, "FLAGS");
            else if (Is(span, "MODSEQ"))
            {
                // MODSEQ is a one-element list: MODSEQ (12345).
                if (!value.IsList || value.Items.Count != 1) throw ResponseData.Malformed("MODSEQ", value);
                message.ModSeq = ResponseData.Number64(value.Items[0], "MODSEQ");
            }
            else if (Is(span, "RFC822.SIZE")) message.Size = (long)ResponseData.Number64(value, "RFC822.SIZE");
            else if (Is(span, "INTERNALDATE")) message.InternalDate = ResponseData.DateTime(value);
            else if (Is(span, "X-GM-LABELS")) message.GmailLabels = ResponseData.Atoms(value, "X-GM-LABELS");
            else if (Is(span, "X-GM-MSGID")) message.GmailMessageId = ResponseData.Number64(value, "X-GM-MSGID");
            else if (Is(span, "EMAILID")) message.EmailId = value.IsList && value.Items.Count == 1 ? value.Items[0].AsString() : value.AsString();
            else if (IsBodySection(span))
            {
                if (frame.StreamedLength >= 0 && value.Kind == ImapValueKind.Literal && value.Bytes.IsEmpty)
                    message.StreamedBodyLength = frame.StreamedLength;
                else if (!value.IsNil)
                    message.Body = value.IsString ? value.Bytes.ToArray() : throw ResponseData.Malformed("body section", value);
            }
            // Other items (ENVELOPE, BODYSTRUCTURE, ...) are not used by the synchronizer and are skipped.
        }
        return message;
    }

    private static bool Is(ReadOnlySpan<byte> span, string name)
    {
        if (span.Length != name.Length) return false;
        for (var i = 0; i < span.Length; i++)
            if ((span[i] & 0xDF) != (name[i] & 0xDF) && span[i] != name[i]) return false;
        return true;
    }

    private static bool IsBodySection(ReadOnlySpan<byte> span)
        => span.StartsWith("BODY["u8) || span.StartsWith("BINARY["u8) || span.StartsWith("body["u8) || Is(span, "RFC822") || Is(span, "RFC822.TEXT")
           || Is(span, "RFC822.HEADER");
}
