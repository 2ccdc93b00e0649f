using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using ImapProxy.Protocol.Tests.Support;

namespace ImapProxy.Protocol.Tests;

/// <summary>Write, then parse (fed at a random split), gives back the same value.</summary>
public class RoundTripProperties
{
    private static readonly ImapWriterOptions[] WriterVariants =
    [
        ImapWriterOptions.Client,
        ImapWriterOptions.Server,
        new() { Literals = LiteralMode.NonSynchronizing, Utf8 = true },
        new() { Literals = LiteralMode.LiteralMinus, MaxQuotedLength = 8 },
        new() { Literals = LiteralMode.Response, Binary = true },
    ];

    private static Gen<byte[]> Bytes =>
        Gen.ArrayOf(Gen.Frequency(
            (4, Gen.Choose(0x20, 0x7e)),
            (2, Gen.Elements<int>('"', '\\', ' ', '(', ')', '{', '}', '*', '%', ']', '\r', '\n')),
            (2, Gen.Choose(0x80, 0xff)),
            (1, Gen.Choose(0, 0x1f))).Select(i => (byte)i));

    private static Gen<string> UnicodeText =>
        Gen.ArrayOf(Gen.Frequency(
            (4, Gen.Choose(0x20, 0x7e)),
            (2, Gen.Elements<int>('&', '/', '-', ',', '+', '.')),
            (1, Gen.Choose(0x01, 0x1f)),
            (2, Gen.Choose(0x80, 0xd7ff)),
            (1, Gen.Choose(0xe000, 0xfffd)),
            (2, Gen.Choose(0x10000, 0x10ffff))).Select(char.ConvertFromUtf32))
        .Select(parts => string.Concat(parts));

    [Fact]
    public void Strings_astrings_and_nstrings_round_trip() =>
        Prop.ForAll(Arb.From(Gen.Zip(Bytes, Gen.Zip(Gen.Choose(0, WriterVariants.Length - 1), Gen.Choose(1, 1_000_000)))), t =>
        {
            var (value, (variant, seed)) = t;
            var options = WriterVariants[variant];
            var astring = Parse(w => w.Astring(value), options, seed, (ref ImapReader r, out ReadOnlyMemory<byte> v) => r.TryReadAstring(out v));
            var str = Parse(w => w.String(value), options, seed, (ref ImapReader r, out ReadOnlyMemory<byte> v) => r.TryReadString(out v));
            var nstring = Parse(w => w.Nstring(value, isNil: false), options, seed,
                (ref ImapReader r, out ReadOnlyMemory<byte> v) => r.TryReadNstring(out v, out _));
            return astring.Span.SequenceEqual(value) && str.Span.SequenceEqual(value) && nstring.Span.SequenceEqual(value);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Mailbox_names_round_trip_through_modified_utf7() =>
        Prop.ForAll(Arb.From(Gen.Zip(UnicodeText, Gen.Choose(1, 1_000_000))), t =>
        {
            var (name, seed) = t;
            var expected = MailboxName.NormalizeInbox(name);
            var encoded = MailboxName.EncodeUtf7(name);
            var decodedOk = MailboxName.TryDecodeUtf7(encoded, out var decoded, out _) && decoded == name;
            var asciiOnly = encoded.All(c => c >= 0x20 && c <= 0x7e);
            var wire = Parse(w => w.Mailbox(name), ImapWriterOptions.Client, seed,
                (ref ImapReader r, out string v) => r.TryReadMailbox(out v));
            var utf8Wire = Parse(w => w.Mailbox(name), new ImapWriterOptions { Utf8 = true }, seed,
                (ref ImapReader r, out string v) => r.TryReadMailbox(out v, utf8: true));
            return decodedOk && asciiOnly && wire == expected && utf8Wire == expected;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Sequence_sets_round_trip() =>
        Prop.ForAll(Arb.From(Gen.Zip(Gen.NonEmptyListOf(Gen.Zip(Number, Number)), Gen.Choose(1, 1_000_000))), t =>
        {
            var (pairs, seed) = t;
            var set = new SequenceSet(pairs.Select(p => new SequenceRange(p.Item1, p.Item2)));
            var parsed = Parse(w => w.SequenceSet(set).Space(), ImapWriterOptions.Client, seed,
                (ref ImapReader r, out SequenceSet v) => r.TryReadSequenceSet(out v));
            return parsed.Equals(set) && SequenceSet.Parse(set.ToString()).Equals(set);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Generic_values_round_trip() =>
        Prop.ForAll(Arb.From(Gen.Zip(Gen.NonEmptyListOf(Bytes), Gen.Choose(1, 1_000_000))), t =>
        {
            var (strings, seed) = t;
            var parsed = Parse(w =>
            {
                w.BeginList();
                for (var i = 0; i < strings.Count; i++)
                {
                    if (i > 0) w.Space();
                    if (i % 3 == 2) w.BeginList().String(strings[i]).EndList();
                    else w.String(strings[i]);
                }
                w.EndList();
            }, ImapWriterOptions.Server, seed, (ref ImapReader r, out ImapValue v) => r.TryReadValue(out v));
            if (parsed.Items.Count != strings.Count) return false;
            for (var i = 0; i < strings.Count; i++)
            {
                var item = i % 3 == 2 ? parsed.Items[i].Items[0] : parsed.Items[i];
                if (!item.Bytes.Span.SequenceEqual(strings[i])) return false;
            }
            return true;
        }).QuickCheckThrowOnFailure();

    private static Gen<uint> Number => Gen.Frequency(
        (1, Gen.Constant(SequenceRange.Star)),
        (4, Gen.Choose(1, 1000).Select(i => (uint)i)),
        (1, Gen.Choose(1, int.MaxValue).Select(i => (uint)i * 2 - 1)));

    /// <summary>Writes a value, then parses it back from a randomly split sequence.</summary>
    private static T Parse<T>(Action<ImapWriter> write, ImapWriterOptions options, int seed, GrammarRule<T> rule)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new ImapWriter(buffer, options));
        var bytes = buffer.WrittenSpan.ToArray().Append((byte)' ').ToArray();
        var (status, value, _, error) = Grammar.Run(rule, Sequences.RandomSplit(bytes, seed),
            new ImapParserOptions { MaxLiteralSize = 1 << 20 });
        if (status != ParseStatus.Ok)
            throw new InvalidOperationException($"{status} {error} parsing {Encoding.Latin1.GetString(bytes)}");
        return value;
    }
}
