using System.Text;
using ImapProxy.Store.Mime;

namespace ImapProxy.Store.Tests.Mime;

/// <summary>
/// <see cref="HeaderFieldParser"/> on the collected header bytes (lines ended by LF): names, values, folds kept as
/// LF plus the continuation's whitespace, and the odd lines real mail has.
/// </summary>
public class HeaderFieldParserTests
{
    private static List<(string Name, string Value)> Parse(string header) =>
        HeaderFieldParser.Parse(Encoding.Latin1.GetBytes(header)).Select(f => (f.Name, f.RawValue)).ToList();

    [Fact]
    public void Fields_with_folds_keep_each_fold_as_lf_and_the_continuation_whitespace()
    {
        Assert.Equal(
            [("Subject", "one\n two\n\tthree"), ("From", "a@b.c")],
            Parse("Subject: one\n two\n\tthree\nFrom:   a@b.c\n"));
    }

    [Fact]
    public void An_empty_value_folded_onto_the_next_line_starts_with_the_fold()
    {
        Assert.Equal([("Subject", "\n  folded start"), ("To", "x")], Parse("Subject:\n  folded start\nTo: x\n"));
    }

    [Fact]
    public void Odd_lines_leading_continuation_no_colon_space_before_colon_no_final_lf()
    {
        Assert.Equal(
            [("No colon here", ""), ("Name", "value"), ("Last", "no final lf")],
            Parse(" leading continuation is dropped\nNo colon here\nName \t: value\nLast: no final lf"));
    }

    [Fact]
    public void A_continuation_after_an_empty_line_joins_its_field_without_the_empty_line()
    {
        Assert.Equal([("A", "x\n y"), ("B", "z")], Parse("A: x\n\n y\nB: z\n"));
    }

    [Fact]
    public void Eight_bit_bytes_map_one_to_one_to_chars()
    {
        Assert.Equal([("Subject", "caf\u00E9")], Parse("Subject: caf\u00E9\n"));
    }
}
