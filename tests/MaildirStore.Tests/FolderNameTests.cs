using ImapProxy.Store;

namespace ImapProxy.Store.Tests;

public sealed class FolderNameTests
{
    public static TheoryData<MaildirLayout, string> Rejected() => new()
    {
        { MaildirLayout.MaildirPlusPlus, "" },
        { MaildirLayout.MaildirPlusPlus, ".." },
        { MaildirLayout.MaildirPlusPlus, "../etc" },
        { MaildirLayout.MaildirPlusPlus, "a/../../etc" },
        { MaildirLayout.MaildirPlusPlus, "/etc/passwd" },
        { MaildirLayout.MaildirPlusPlus, "a//b" },
        { MaildirLayout.MaildirPlusPlus, "a/" },
        { MaildirLayout.MaildirPlusPlus, "nul\0byte" },
        { MaildirLayout.MaildirPlusPlus, "tab\there" },
        { MaildirLayout.MaildirPlusPlus, "line\nbreak" },
        { MaildirLayout.MaildirPlusPlus, "a.b" },            // Maildir++ separator on disk
        { MaildirLayout.MaildirPlusPlus, ".hidden" },
        { MaildirLayout.MaildirPlusPlus, "a/.b" },
        { MaildirLayout.MaildirPlusPlus, "imapproxy-index/sqlite" }, // would be the index file's name on disk
        { MaildirLayout.MaildirPlusPlus, "wild*card" },
        { MaildirLayout.MaildirPlusPlus, "per%cent" },
        { MaildirLayout.MaildirPlusPlus, "back\\slash" },
        { MaildirLayout.MaildirPlusPlus, " " },
        { MaildirLayout.MaildirPlusPlus, new string('x', 300) },
        { MaildirLayout.Fs, ".." },
        { MaildirLayout.Fs, "../x" },
        { MaildirLayout.Fs, "/abs" },
        { MaildirLayout.Fs, "a/./b" },
        { MaildirLayout.Fs, "cur" },
        { MaildirLayout.Fs, "a/new" },
        { MaildirLayout.Fs, "tmp/x" },
        { MaildirLayout.Fs, ".dot" },
        { MaildirLayout.Fs, "ctl\u007f" },
        { MaildirLayout.Fs, "c1\u0085" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task Bad_names_are_rejected_with_a_specific_exception(MaildirLayout layout, string name)
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(layout);
        await Assert.ThrowsAsync<InvalidFolderNameException>(() => store.CreateFolderAsync(name));
        await Assert.ThrowsAsync<InvalidFolderNameException>(() => store.OpenFolderAsync(name));
        // Nothing was created anywhere, inside or outside the mirror.
        Assert.Equal(["cur", "new", "tmp"], Directory.GetDirectories(mirror.Root).Select(Path.GetFileName).Order());
    }
}
