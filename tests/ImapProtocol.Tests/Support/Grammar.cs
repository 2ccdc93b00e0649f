using System.Buffers;

namespace ImapProxy.Protocol.Tests.Support;

/// <summary>A grammar method under test, as a delegate over a fresh reader.</summary>
public delegate ParseStatus GrammarRule<T>(ref ImapReader reader, out T value);

/// <summary>
/// Feeds one input to a grammar rule in every way a pipe could deliver it and checks the answers agree: whole
/// (the reader's contiguous fast path), contiguous but not array-backed (its general path), one byte per segment,
/// at seeded random split points, and as every growing prefix (incremental appending).
/// </summary>
public static class Grammar
{
    public static T Valid<T>(GrammarRule<T> rule, string input, int? expectedConsumed = null, ImapParserOptions? options = null) =>
        Valid(rule, Sequences.Bytes(input), expectedConsumed, options);

    public static T Valid<T>(GrammarRule<T> rule, byte[] data, int? expectedConsumed = null, ImapParserOptions? options = null)
    {
        var (status, value, consumed, error) = Run(rule, Sequences.Whole(data), options);
        Assert.True(status == ParseStatus.Ok, $"whole input: {status} {error}");
        if (expectedConsumed is not null) Assert.Equal(expectedConsumed.Value, consumed);
        var expected = Render(value);

        Same(rule, Sequences.NotArrayBacked(data), consumed, expected, "contiguous, not array-backed", options);
        Same(rule, Sequences.OneBytePerSegment(data), consumed, expected, "one byte per segment", options);
        for (var seed = 1; seed <= 5; seed++)
            Same(rule, Sequences.RandomSplit(data, seed), consumed, expected, $"random split seed {seed}", options);

        // Incremental appending, as a pipe delivers: every strict prefix is incomplete until the element is whole.
        for (var k = 0; k < data.Length; k++)
        {
            var prefix = data.AsSpan(0, k).ToArray();
            var (s, v, c, e) = Run(rule, Sequences.Whole(prefix), options);
            if (k < consumed)
                Assert.True(s == ParseStatus.NeedMoreData, $"prefix of {k} bytes: expected NeedMoreData, got {s} {e}");
            else if (s == ParseStatus.Ok)
            {
                Assert.Equal(consumed, c);
                Assert.Equal(expected, Render(v));
            }
            else Assert.True(s == ParseStatus.NeedMoreData, $"prefix of {k} bytes: {s} {e}");
            var (s1, _, _, _) = Run(rule, Sequences.OneBytePerSegment(prefix), options);
            Assert.Equal(s, s1);
            var (s2, _, _, _) = Run(rule, Sequences.NotArrayBacked(prefix), options);
            Assert.Equal(s, s2);
        }
        return value;
    }

    public static string Invalid<T>(GrammarRule<T> rule, string input, ImapParserOptions? options = null) =>
        Invalid(rule, Sequences.Bytes(input), options);

    public static string Invalid<T>(GrammarRule<T> rule, byte[] data, ImapParserOptions? options = null)
    {
        var (status, _, _, error) = Run(rule, Sequences.Whole(data), options);
        Assert.True(status == ParseStatus.Error, $"expected an error, got {status}");
        Assert.False(string.IsNullOrEmpty(error));
        var (s1, _, _, e1) = Run(rule, Sequences.OneBytePerSegment(data), options);
        Assert.Equal(ParseStatus.Error, s1);
        Assert.Equal(error, e1);
        var (s2, _, _, e2) = Run(rule, Sequences.NotArrayBacked(data), options);
        Assert.Equal(ParseStatus.Error, s2);
        Assert.Equal(error, e2);
        return error!;
    }

    public static (ParseStatus Status, T Value, long Consumed, string? Error) Run<T>(GrammarRule<T> rule,
        ReadOnlySequence<byte> input, ImapParserOptions? options = null)
    {
        var reader = new ImapReader(input, options);
        var status = rule(ref reader, out var value);
        return (status, value, reader.Consumed, reader.ErrorMessage);
    }

    private static void Same<T>(GrammarRule<T> rule, ReadOnlySequence<byte> input, long consumed, string expected,
        string how, ImapParserOptions? options)
    {
        var (s, v, c, e) = Run(rule, input, options);
        Assert.True(s == ParseStatus.Ok, $"{how}: {s} {e}");
        Assert.Equal(consumed, c);
        Assert.Equal(expected, Render(v));
    }

    /// <summary>A comparable rendering of any value the rules return.</summary>
    public static string Render(object? value) => value switch
    {
        null => "<null>",
        ReadOnlyMemory<byte> m => "bytes:" + Convert.ToHexString(m.Span),
        ImapValue v => v.Kind + ":" + v,
        System.Collections.IEnumerable e and not string => "[" + string.Join(",", e.Cast<object?>().Select(Render)) + "]",
        _ => value.ToString() ?? "",
    };
}
