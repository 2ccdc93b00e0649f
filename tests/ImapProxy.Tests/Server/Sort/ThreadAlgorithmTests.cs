using ImapProxy.Server.Sort;
using static ImapProxy.Tests.Server.Sort.ThreadTestMail;

namespace ImapProxy.Tests.Server.Sort;

/// <summary>THREAD=REFERENCES and THREAD=ORDEREDSUBJECT (RFC 5256 §3) on small hand-made mailboxes.</summary>
public sealed class ThreadAlgorithmTests
{
    private static string References(params SortMessage[] messages) => Format(ReferencesThreader.Thread(messages));

    private static string OrderedSubject(params SortMessage[] messages) => Format(OrderedSubjectThreader.Thread(messages));

    [Fact]
    public void References_link_parents_and_children()
    {
        Assert.Equal("(1 (2 3)(4))", References(
            Message(1, $"Message-ID: <a@x>\nSubject: hello\n{Date(1)}"),
            Message(2, $"Message-ID: <b@x>\nReferences: <a@x>\nSubject: Re: hello\n{Date(2)}"),
            Message(3, $"Message-ID: <c@x>\nReferences: <a@x> <b@x>\nSubject: Re: hello\n{Date(3)}"),
            Message(4, $"Message-ID: <d@x>\nIn-Reply-To: <a@x>\nSubject: Re: hello\n{Date(4)}")));
    }

    [Fact]
    public void In_reply_to_counts_only_without_references()
    {
        // References wins over In-Reply-To; In-Reply-To's phrase text and later ids are ignored.
        Assert.Equal("(1 2)(3 4)", References(
            Message(1, $"Message-ID: <a@x>\nSubject: one\n{Date(1)}"),
            Message(2, $"Message-ID: <b@x>\nIn-Reply-To: your message <a@x> of yesterday <c@x>\nSubject: two\n{Date(2)}"),
            Message(3, $"Message-ID: <c@x>\nSubject: three\n{Date(3)}"),
            Message(4, $"Message-ID: <d@x>\nReferences: <c@x>\nIn-Reply-To: <a@x>\nSubject: four\n{Date(4)}")));
    }

    [Fact]
    public void Missing_parent_with_several_children_stays_a_dummy_at_the_top()
    {
        Assert.Equal("((1)(2))", References(
            Message(1, $"Message-ID: <b@x>\nReferences: <gone@x>\nSubject: Re: topic\n{Date(1)}"),
            Message(2, $"Message-ID: <c@x>\nReferences: <gone@x>\nSubject: Re: other\n{Date(2)}")));
    }

    [Fact]
    public void Missing_parent_with_one_child_is_pruned()
    {
        Assert.Equal("(1)(2)", References(
            Message(1, $"Message-ID: <b@x>\nReferences: <gone@x>\nSubject: first\n{Date(1)}"),
            Message(2, $"Message-ID: <c@x>\nReferences: <gone2@x> <gone3@x>\nSubject: second\n{Date(2)}")));
    }

    [Fact]
    public void Missing_middle_message_promotes_its_child()
    {
        Assert.Equal("(1 2)", References(
            Message(1, $"Message-ID: <a@x>\nSubject: one\n{Date(1)}"),
            Message(2, $"Message-ID: <c@x>\nReferences: <a@x> <b@x>\nSubject: Re: one\n{Date(2)}")));
    }

    [Fact]
    public void Messages_without_message_id_thread_by_subject_only()
    {
        Assert.Equal("((1)(2))", References(
            Message(1, $"Subject: hello\n{Date(1)}"),
            Message(2, $"Subject: hello\n{Date(2)}")));
        Assert.Equal("(1 2)", References(
            Message(1, $"Subject: hello\n{Date(1)}"),
            Message(2, $"Subject: Re: hello\n{Date(2)}")));
    }

    [Fact]
    public void Loop_in_references_is_not_closed()
    {
        Assert.Equal("(2 1)", References(
            Message(1, $"Message-ID: <a@x>\nReferences: <b@x>\nSubject: one\n{Date(1)}"),
            Message(2, $"Message-ID: <b@x>\nReferences: <a@x>\nSubject: two\n{Date(2)}")));
        Assert.Equal("(1)", References(Message(1, $"Message-ID: <a@x>\nReferences: <a@x>\nSubject: self\n{Date(1)}")));
        // c→b is linked, b→c would close a loop; then b moves under a, and c (no references) stays on top.
        Assert.Equal("(3 1 2)", References(
            Message(1, $"Message-ID: <a@x>\nReferences: <c@x> <b@x> <c@x>\nSubject: one\n{Date(1)}"),
            Message(2, $"Message-ID: <b@x>\nReferences: <a@x>\nSubject: two\n{Date(2)}"),
            Message(3, $"Message-ID: <c@x>\nSubject: three\n{Date(3)}")));
    }

    [Fact]
    public void Duplicate_message_id_belongs_to_the_first_message()
    {
        Assert.Equal("(1 3)(2)", References(
            Message(1, $"Message-ID: <a@x>\nSubject: one\n{Date(1)}"),
            Message(2, $"Message-ID: <a@x>\nSubject: two\n{Date(2)}"),
            Message(3, $"Message-ID: <c@x>\nReferences: <a@x>\nSubject: Re: one\n{Date(3)}")));
    }

    [Fact]
    public void Later_message_corrects_a_parent_guessed_from_truncated_references()
    {
        // Message 2 (d) says a, b, c came before it; c itself (message 3) says it answers a directly, so the
        // guessed b→c link is replaced, d stays under c, and the empty dummy b is pruned.
        Assert.Equal("(1 3 2)", References(
            Message(1, $"Message-ID: <a@x>\nSubject: one\n{Date(1)}"),
            Message(2, $"Message-ID: <d@x>\nReferences: <a@x> <b@x> <c@x>\nSubject: Re: one\n{Date(2)}"),
            Message(3, $"Message-ID: <c@x>\nReferences: <a@x>\nSubject: Re: one\n{Date(3)}")));
    }

    [Fact]
    public void Subject_grouping_puts_replies_under_the_original()
    {
        Assert.Equal("(2 (1)(3))", References(
            Message(1, $"Subject: Re: x\n{Date(1)}"),
            Message(2, $"Subject: x\n{Date(2)}"),
            Message(3, $"Subject: Re: x\n{Date(3)}")));
    }

    [Fact]
    public void Subject_grouping_joins_a_top_level_dummy()
    {
        Assert.Equal("((1)(2)(3))", References(
            Message(1, $"Message-ID: <p@x>\nReferences: <gone@x>\nSubject: Re: plan\n{Date(1)}"),
            Message(2, $"Message-ID: <q@x>\nReferences: <gone@x>\nSubject: Re: plan\n{Date(2)}"),
            Message(3, $"Message-ID: <r@x>\nSubject: plan\n{Date(3)}")));
    }

    [Fact]
    public void Empty_subjects_are_not_grouped()
    {
        Assert.Equal("(1)(2)", References(Message(1, $"Subject: Re:\n{Date(1)}"), Message(2, Date(2))));
    }

    [Fact]
    public void Siblings_and_threads_sort_by_sent_date_with_internaldate_fallback()
    {
        // Message 3 has no Date: its arrival (day 0, minute 30) makes it the oldest reply.
        Assert.Equal("(4)(1 (3)(2))", References(
            Message(1, $"Message-ID: <a@x>\nSubject: one\n{Date(2)}"),
            Message(2, $"Message-ID: <b@x>\nReferences: <a@x>\nSubject: Re: one\n{Date(5)}"),
            Message(3, "Message-ID: <c@x>\nReferences: <a@x>\nSubject: Re: one\nDate: not a date", arrivalMinutes: 30),
            Message(4, $"Message-ID: <d@x>\nSubject: zzz\n{Date(1)}")));
    }

    [Fact]
    public void Deep_threads_do_not_exhaust_the_stack()
    {
        const int depth = 3000;
        var messages = Enumerable.Range(1, depth).Select(i => Message(i,
            $"Message-ID: <m{i}@x>\n" + (i > 1 ? $"References: <m{i - 1}@x>\n" : "") + $"Subject: deep\nDate: 1 Jan 2024 00:00:00 +0000",
            arrivalMinutes: i)).ToArray();
        Assert.Equal("(" + string.Join(" ", Enumerable.Range(1, depth)) + ")", References(messages));
    }

    [Fact]
    public void Ordered_subject_groups_by_base_subject()
    {
        Assert.Equal("(3 (2)(4))(1)", OrderedSubject(
            Message(1, $"Subject: b\n{Date(3)}"),
            Message(2, $"Subject: a\n{Date(2)}"),
            Message(3, $"Subject: Re: A\n{Date(1)}"),
            Message(4, $"Subject: [list] a\n{Date(4)}")));
        Assert.Equal("(2 1)", OrderedSubject(Message(1, $"Subject: Fwd: x\n{Date(2)}"), Message(2, $"Subject: x (fwd)\n{Date(1)}")));
        Assert.Equal("", OrderedSubject());
    }

    [Fact]
    public void Uid_output_uses_uids()
    {
        var threads = ReferencesThreader.Thread([
            Message(1, $"Message-ID: <a@x>\n{Date(1)}"),
            Message(2, $"Message-ID: <b@x>\nReferences: <a@x>\n{Date(2)}")]);
        Assert.Equal("(10 20)", ThreadNode.Format(threads, byUid: true));
    }

    [Theory]
    [InlineData("<a@b>", "a@b")]
    [InlineData("  <a@b> (comment) <c@d>", "a@b,c@d")]
    [InlineData("<a (c) @ b>", "a@b")]
    [InlineData("<\"x y\"@b>", "x y@b")]
    [InlineData("<no-at-sign> <a@b>", "a@b")]
    [InlineData("<broken <a@b>", "a@b")]
    [InlineData("<@b> <a@> <a@b", "")]
    [InlineData("", "")]
    public void Message_ids(string text, string expected)
    {
        Assert.Equal(expected, string.Join(",", MessageIds.Parse(text)));
    }
}
