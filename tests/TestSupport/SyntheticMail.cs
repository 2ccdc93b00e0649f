using System.Globalization;
using System.Text;

namespace ImapProxy.TestSupport;

/// <summary>
/// Deterministic synthetic messages for benchmarks and bulk tests ("the corpus plus 50,000 synthetic messages").
/// Message <c>i</c> depends only on (<c>i</c>, seed): any subset can be regenerated. The mix: ~65% short plain text,
/// ~25% multipart/alternative text+HTML, ~9.5% multipart/mixed with a base64 attachment (a few with an attached
/// message/rfc822), ~0.5% large (200 KB–1 MB); about 9 KB on average. Some subjects and display names are RFC 2047
/// encoded-words (UTF-8 B, ISO-8859-1 Q); each body holds the unique token <see cref="TokenOf"/> for SEARCH tests.
/// </summary>
public static class SyntheticMail
{
    private static readonly string[] Words =
    [
        "meeting", "report", "budget", "release", "server", "invoice", "holiday", "project", "deadline", "review",
        "coffee", "quarterly", "update", "schedule", "proxy", "mailbox", "folder", "synchronize", "backup", "draft",
        "the", "a", "and", "of", "to", "in", "for", "with", "on", "is", "please", "thanks", "regards", "soon",
    ];

    private static readonly string[] Names =
    [
        "Alice Example", "Bob Builder", "Carol Jones", "Dave O'Brien", "Eve Müller", "François Dupont",
        "Grzegorz Brzęczyszczykiewicz", "Hiro Tanaka", "Ivy Chen", "José Núñez",
    ];

    private static readonly string[] NonAsciiSubjects =
    [
        "Grüße aus München", "Café crème à la française", "Привет, мир", "日本語の件名", "Ünïcödé ☃ snowman",
        "Δοκιμή θέματος", "¡Hola señor!",
    ];

    /// <summary>The search token only message <paramref name="index"/> contains in its body.</summary>
    public static string TokenOf(int index) => "synthtoken" + index.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>The Date header value and intended INTERNALDATE of message <paramref name="index"/>.</summary>
    public static DateTimeOffset DateOf(int index, int seed = 1) =>
        new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(new Random(Mix(index, seed) ^ 0x5eed).Next(0, 5 * 365 * 86400));

    /// <summary>The messages 0..count-1.</summary>
    public static IEnumerable<byte[]> Generate(int count, int seed = 1, bool crlf = true)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Create(i, seed, crlf);
        }
    }

    /// <summary>Message <paramref name="index"/>: CRLF line ends (as on the wire), or LF (as often in a Maildir).</summary>
    public static byte[] Create(int index, int seed = 1, bool crlf = true)
    {
        var random = new Random(Mix(index, seed));
        var text = new StringBuilder(4096);
        var kind = random.Next(1000);
        var boundary = "=_synth_" + index.ToString(CultureInfo.InvariantCulture) + "_" + random.Next().ToString("x8", CultureInfo.InvariantCulture);
        WriteHeaders(text, index, seed, random);
        if (kind < 650)
        {
            text.Append("Content-Type: text/plain; charset=utf-8\n");
            text.Append("Content-Transfer-Encoding: 8bit\n\n");
            AppendParagraphs(text, random, random.Next(300, 3000), index);
        }
        else if (kind < 900)
        {
            AppendAlternative(text, random, boundary, index, random.Next(3000, 20000));
        }
        else if (kind < 995)
        {
            AppendMixed(text, random, boundary, index, random.Next(4000, 40000), withMessage: kind >= 980);
        }
        else
        {
            AppendMixed(text, random, boundary, index, random.Next(200_000, 1_000_000), withMessage: false);
        }
        var lf = text.ToString();
        return Encoding.UTF8.GetBytes(crlf ? lf.Replace("\n", "\r\n", StringComparison.Ordinal) : lf);
    }

    private static int Mix(int index, int seed) => unchecked((index * 486187739) ^ (seed * 16777619) ^ 0x2545F491);

    private static void WriteHeaders(StringBuilder text, int index, int seed, Random random)
    {
        var from = Names[random.Next(Names.Length)];
        var to = Names[random.Next(Names.Length)];
        text.Append("Return-Path: <sender").Append(index % 97).Append("@example.org>\n");
        text.Append("From: ").Append(EncodeDisplayName(from, random)).Append(" <sender").Append(index % 97).Append("@example.org>\n");
        text.Append("To: ").Append(EncodeDisplayName(to, random)).Append(" <user@example.net>\n");
        if (random.Next(4) == 0)
        {
            text.Append("Cc: list").Append(index % 13).Append("@lists.example.com,\n\t\"Second, Person\" <second@example.com>\n");
        }
        text.Append("Subject: ").Append(Subject(index, random)).Append('\n');
        text.Append("Date: ").Append(DateOf(index, seed).ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)).Append('\n');
        text.Append("Message-ID: <synthetic.").Append(seed).Append('.').Append(index).Append("@example.org>\n");
        if (index > 0 && random.Next(3) == 0)
        {
            var parent = random.Next(index);
            text.Append("In-Reply-To: <synthetic.").Append(seed).Append('.').Append(parent).Append("@example.org>\n");
            text.Append("References: <synthetic.").Append(seed).Append('.').Append(parent).Append("@example.org>\n");
        }
        if (random.Next(5) == 0)
        {
            text.Append("List-Id: Synthetic list ").Append(index % 7).Append(" <list").Append(index % 7).Append(".example.com>\n");
        }
        text.Append("X-Synthetic-Index: ").Append(index).Append('\n');
        text.Append("MIME-Version: 1.0\n");
    }

    private static string Subject(int index, Random random)
    {
        var roll = random.Next(10);
        if (roll == 0)
        {
            var utf8 = Encoding.UTF8.GetBytes(NonAsciiSubjects[random.Next(NonAsciiSubjects.Length)] + " #" + index);
            return "=?UTF-8?B?" + Convert.ToBase64String(utf8) + "?=";
        }
        if (roll == 1)
        {
            return "Re: =?ISO-8859-1?Q?Gr=FC=DFe_und_Caf=E9?= #" + index;
        }
        return (roll == 2 ? "Re: " : "") + Sentence(random, random.Next(3, 9)) + " #" + index;
    }

    // Display names with non-ASCII letters become encoded-words, half B and half Q.
    private static string EncodeDisplayName(string name, Random random)
    {
        if (name.All(char.IsAscii))
        {
            return name.Contains('\'') ? "\"" + name + "\"" : name;
        }
        var utf8 = Encoding.UTF8.GetBytes(name);
        if (random.Next(2) == 0)
        {
            return "=?utf-8?b?" + Convert.ToBase64String(utf8) + "?=";
        }
        var q = new StringBuilder("=?utf-8?q?");
        foreach (var b in utf8)
        {
            q.Append(b switch
            {
                (byte)' ' => "_",
                >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' => ((char)b).ToString(),
                _ => "=" + b.ToString("X2", CultureInfo.InvariantCulture),
            });
        }
        return q.Append("?=").ToString();
    }

    private static string Sentence(Random random, int words)
    {
        var sentence = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            sentence.Append(i == 0 ? "" : " ").Append(Words[random.Next(Words.Length)]);
        }
        sentence[0] = char.ToUpperInvariant(sentence[0]);
        return sentence.ToString();
    }

    private static void AppendParagraphs(StringBuilder text, Random random, int approximateLength, int index)
    {
        var start = text.Length;
        text.Append("Hello,\n\nReference ").Append(TokenOf(index)).Append(".\n\n");
        while (text.Length - start < approximateLength)
        {
            for (var line = random.Next(1, 6); line > 0; line--)
            {
                text.Append(Sentence(random, random.Next(6, 12))).Append(random.Next(8) == 0 ? " — naïve café" : "").Append(".\n");
            }
            text.Append('\n');
        }
        text.Append("-- \nSynthetic sender\n");
    }

    private static void AppendAlternative(StringBuilder text, Random random, string boundary, int index, int length)
    {
        text.Append("Content-Type: multipart/alternative; boundary=\"").Append(boundary).Append("\"\n\n");
        text.Append("This is a multi-part message in MIME format.\n\n--").Append(boundary).Append('\n');
        text.Append("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n");
        var plainStart = text.Length;
        AppendParagraphs(text, random, length / 2, index);
        var plain = text.ToString(plainStart, text.Length - plainStart);
        text.Append("\n--").Append(boundary).Append('\n');
        text.Append("Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n");
        var html = "<html><body><p>" + plain.Replace("\n\n", "</p>\n<p>", StringComparison.Ordinal) + "</p></body></html>";
        AppendQuotedPrintable(text, Encoding.UTF8.GetBytes(html));
        text.Append("\n--").Append(boundary).Append("--\n");
    }

    private static void AppendMixed(StringBuilder text, Random random, string boundary, int index, int attachmentSize, bool withMessage)
    {
        text.Append("Content-Type: multipart/mixed; boundary=\"").Append(boundary).Append("\"\n\n");
        text.Append("--").Append(boundary).Append('\n');
        text.Append("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n");
        AppendParagraphs(text, random, random.Next(200, 2000), index);
        text.Append("\n--").Append(boundary).Append('\n');
        var (type, name) = random.Next(3) switch
        {
            0 => ("application/pdf", "report.pdf"),
            1 => ("image/png", "picture.png"),
            _ => ("application/octet-stream", "données.bin"),
        };
        var encodedName = name.All(char.IsAscii) ? name : "=?UTF-8?Q?donn=C3=A9es.bin?=";
        text.Append("Content-Type: ").Append(type).Append("; name=\"").Append(encodedName).Append("\"\n");
        text.Append("Content-Transfer-Encoding: base64\n");
        text.Append("Content-Disposition: attachment; filename=\"").Append(encodedName).Append("\"\n\n");
        var bytes = new byte[attachmentSize];
        random.NextBytes(bytes);
        var base64 = Convert.ToBase64String(bytes);
        for (var i = 0; i < base64.Length; i += 76)
        {
            text.Append(base64, i, Math.Min(76, base64.Length - i)).Append('\n');
        }
        if (withMessage)
        {
            text.Append("\n--").Append(boundary).Append('\n');
            text.Append("Content-Type: message/rfc822\n\n");
            text.Append("From: Forwarded <fwd@example.com>\nTo: user@example.net\nSubject: Forwarded #").Append(index).Append('\n');
            text.Append("Date: Mon, 01 Jun 2020 10:00:00 +0000\nMessage-ID: <inner.").Append(index).Append("@example.org>\n");
            text.Append("Content-Type: text/plain; charset=us-ascii\n\nThe inner message body.\n");
        }
        text.Append("\n--").Append(boundary).Append("--\n");
    }

    private static void AppendQuotedPrintable(StringBuilder text, byte[] bytes)
    {
        var lineLength = 0;
        foreach (var b in bytes)
        {
            if (b == (byte)'\n')
            {
                text.Append('\n');
                lineLength = 0;
                continue;
            }
            var encoded = b is >= 33 and <= 126 and not (byte)'=' || b == (byte)' '
                ? ((char)b).ToString()
                : "=" + b.ToString("X2", CultureInfo.InvariantCulture);
            if (lineLength + encoded.Length > 75)
            {
                text.Append("=\n");
                lineLength = 0;
            }
            text.Append(encoded);
            lineLength += encoded.Length;
        }
    }
}
