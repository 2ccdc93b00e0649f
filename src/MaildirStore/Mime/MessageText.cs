using System.Runtime.CompilerServices;
using System.Text;

namespace ImapProxy.Store.Mime;

/// <summary>
/// Decoded text of a message for SEARCH (RFC 3501 §6.4.4): header values with RFC 2047 encoded-words decoded, and
/// body text with Content-Transfer-Encoding undone and the charset converted. Matching (case-insensitive substring)
/// is the caller's; <see cref="BodyContainsAsync"/> does it across chunk borders for the common case.
/// </summary>
public static class MessageText
{
    private const int MaxCharsPerChunk = 32 * 1024;

    /// <summary>
    /// The decoded values of every field with this name in the message header (SEARCH HEADER/SUBJECT/FROM…);
    /// empty when there is none. Uses the fields kept at parse time, so no file access.
    /// </summary>
    public static IReadOnlyList<string> GetDecodedHeader(MimeStructure structure, string name)
    {
        var values = new List<string>();
        foreach (var field in structure.Root.MessageFields ?? [])
        {
            if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                values.Add(EncodedWords.DecodeHeader(field.RawValue));
            }
        }
        return values;
    }

    /// <summary>The whole message header decoded, one "Name: value" line per field (for SEARCH TEXT).</summary>
    public static string GetDecodedHeaderText(MimeStructure structure)
    {
        var sb = new StringBuilder();
        foreach (var field in structure.Root.MessageFields ?? [])
        {
            sb.Append(field.Name).Append(": ").Append(EncodedWords.DecodeHeader(field.RawValue)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// The text of every text part (text/*, or no Content-Type) in order, decoded to strings in chunks. Chunks of
    /// one part follow each other without a gap; a new part starts with a "\n" chunk. Headers of attached messages
    /// come decoded too, as they are text a user would search. Other media types are skipped.
    /// </summary>
    public static async IAsyncEnumerable<string> EnumerateDecodedBodyTextAsync(
        Stream message, MimeStructure structure, [EnumeratorCancellation] CancellationToken ct = default)
    {
        bool first = true;
        foreach (var part in structure.EnumerateParts())
        {
            if (part.Parent is not null && part.MessageFields is not null)
            {
                yield return "\n";
                yield return GetDecodedHeaderText(new MimeStructure(part, 0, 0));
                continue;
            }
            if (part.IsMultipart || part.IsMessageRfc822 || !IsText(part))
            {
                continue;
            }
            if (!first)
            {
                yield return "\n";
            }
            first = false;
            var content = part.IsMime ? part.Content : new ContentFields();
            var encoding = Charsets.TryGet(content.GetParameter("charset")) ?? new UTF8Encoding(false, false);
            var decoder = encoding.GetDecoder();
            var chars = new char[MaxCharsPerChunk + 8];
            var body = SectionContent.Decoded(message, part.BodyOffset, part.BodyLength, content.TransferEncoding);
            await foreach (var chunk in body.ReadChunksAsync(ct).ConfigureAwait(false))
            {
                for (int offset = 0; offset < chunk.Length;)
                {
                    int take = Math.Min(MaxCharsPerChunk / 2, chunk.Length - offset);
                    int n = decoder.GetChars(chunk.Span.Slice(offset, take), chars, flush: false);
                    offset += take;
                    if (n > 0)
                    {
                        yield return new string(chars, 0, n);
                    }
                }
            }
            int rest = decoder.GetChars([], chars, flush: true);
            if (rest > 0)
            {
                yield return new string(chars, 0, rest);
            }
        }
    }

    /// <summary>
    /// True when the decoded body text contains <paramref name="needle"/>, ignoring case (SEARCH BODY). Streams
    /// through the message; a match across chunk borders is found.
    /// </summary>
    public static async ValueTask<bool> BodyContainsAsync(Stream message, MimeStructure structure, string needle, CancellationToken ct = default)
    {
        if (needle.Length == 0)
        {
            return true;
        }
        string carry = "";
        await foreach (var chunk in EnumerateDecodedBodyTextAsync(message, structure, ct).ConfigureAwait(false))
        {
            string text = carry + chunk;
            if (text.Contains(needle, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            carry = text.Length >= needle.Length ? text[^(needle.Length - 1)..] : text;
        }
        return false;
    }

    private static bool IsText(MimePart part) =>
        !part.IsMime || part.Content.Type is null || part.Content.Type.Equals("text", StringComparison.OrdinalIgnoreCase);
}
