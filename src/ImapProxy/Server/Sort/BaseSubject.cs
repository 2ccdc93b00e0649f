using System.Text;
using ImapProxy.Store.Mime;

namespace ImapProxy.Server.Sort;

/// <summary>The base subject of RFC 5256 §2.1 and whether the subject marks a reply or forward.</summary>
/// <param name="Text">The base subject (decoded, whitespace collapsed, leaders and trailers removed).</param>
/// <param name="IsReplyOrForward">True when extraction removed a subj-refwd ("Re:", "Fwd:"), a "(fwd)"
/// trailer or a "[fwd: …]" wrapper; REFERENCES step 5 uses it.</param>
internal readonly record struct BaseSubject(string Text, bool IsReplyOrForward)
{
    /// <summary>The subject as SORT and THREAD compare it (i;unicode-casemap, see <see cref="UnicodeCasemap"/>).</summary>
    public string Key => UnicodeCasemap.Key(Text);

    /// <summary>Extracts the base subject from a raw Subject field value (RFC 2047 encoded-words are decoded first).</summary>
    public static BaseSubject FromRawHeader(string? rawValue) =>
        rawValue is null ? new BaseSubject("", false) : Extract(EncodedWords.DecodeHeader(rawValue));

    /// <summary>Runs steps (1)–(7) of RFC 5256 §2.1 on an already decoded subject.</summary>
    public static BaseSubject Extract(string decoded)
    {
        var text = CollapseWhitespace(decoded); // step (1)
        var replyOrForward = false;
        while (true)
        {
            text = RemoveTrailers(text, ref replyOrForward); // step (2)
            bool changed;
            do // steps (3)–(5)
            {
                changed = false;
                if (TryRemoveLeader(ref text, ref replyOrForward))
                {
                    changed = true;
                }
                var blob = BlobLength(text, 0);
                if (blob > 0 && blob < text.Length)
                {
                    text = text[blob..];
                    changed = true;
                }
            }
            while (changed);
            // Step (6): "[fwd: subject]" unwraps, then everything runs again.
            if (text.Length >= 6 && text.StartsWith("[fwd:", StringComparison.OrdinalIgnoreCase) && text[^1] == ']')
            {
                text = text[5..^1];
                replyOrForward = true;
                continue;
            }
            return new BaseSubject(text, replyOrForward);
        }
    }

    /// <summary>Tabs and folds become spaces; runs of spaces become one (step 1).</summary>
    private static string CollapseWhitespace(string text)
    {
        if (!NeedsCollapse(text))
        {
            return text; // the common case: single spaces only, nothing to copy
        }
        var result = new StringBuilder(text.Length);
        var lastWasSpace = false;
        foreach (var c in text)
        {
            var space = c is ' ' or '\t' or '\r' or '\n';
            if (space && lastWasSpace)
            {
                continue;
            }
            result.Append(space ? ' ' : c);
            lastWasSpace = space;
        }
        return result.ToString();
    }

    private static bool NeedsCollapse(string text)
    {
        if (text.AsSpan().IndexOfAny('\t', '\r', '\n') >= 0)
        {
            return true;
        }
        return text.Contains("  ", StringComparison.Ordinal);
    }

    /// <summary>subj-trailer = "(fwd)" / WSP, removed from the end as long as one matches (step 2).</summary>
    private static string RemoveTrailers(string text, ref bool replyOrForward)
    {
        while (true)
        {
            if (text.EndsWith(' '))
            {
                text = text[..^1];
            }
            else if (text.EndsWith("(fwd)", StringComparison.OrdinalIgnoreCase))
            {
                text = text[..^5];
                replyOrForward = true;
            }
            else
            {
                return text;
            }
        }
    }

    /// <summary>subj-leader = (*subj-blob subj-refwd) / WSP (step 3); removes one leader when it matches.</summary>
    private static bool TryRemoveLeader(ref string text, ref bool replyOrForward)
    {
        if (text.StartsWith(' '))
        {
            text = text[1..];
            return true;
        }
        var i = 0;
        while (true)
        {
            var refwd = RefwdLength(text, i);
            if (refwd > 0)
            {
                text = text[(i + refwd)..];
                replyOrForward = true;
                return true;
            }
            var blob = BlobLength(text, i);
            if (blob == 0)
            {
                return false;
            }
            i += blob;
        }
    }

    /// <summary>subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":" at <paramref name="start"/>; its length or 0.</summary>
    private static int RefwdLength(string text, int start)
    {
        int i;
        if (StartsWithAt(text, start, "re"))
        {
            i = start + 2;
        }
        else if (StartsWithAt(text, start, "fwd"))
        {
            i = start + 3;
        }
        else if (StartsWithAt(text, start, "fw"))
        {
            i = start + 2;
        }
        else
        {
            return 0;
        }
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }
        i += BlobLength(text, i);
        return i < text.Length && text[i] == ':' ? i + 1 - start : 0;
    }

    /// <summary>subj-blob = "[" *BLOBCHAR "]" *WSP at <paramref name="start"/>, where BLOBCHAR is any char but
    /// "[" and "]"; its length or 0.</summary>
    private static int BlobLength(string text, int start)
    {
        if (start >= text.Length || text[start] != '[')
        {
            return 0;
        }
        var i = start + 1;
        while (i < text.Length && text[i] is not ('[' or ']'))
        {
            i++;
        }
        if (i >= text.Length || text[i] != ']')
        {
            return 0;
        }
        i++;
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }
        return i - start;
    }

    private static bool StartsWithAt(string text, int start, string word) =>
        string.Compare(text, start, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0 && start + word.Length <= text.Length;
}
