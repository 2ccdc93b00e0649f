using System.Text;
using ImapProxy.Store;

namespace ImapProxy.Store.Tests;

/// <summary>An existing Maildir (OfflineIMAP, mbsync, Dovecot) is adopted: every message gets a UID, nothing is renamed.</summary>
public sealed class AdoptionTests
{
    private static readonly string[] CurNames =
    [
        "1600000000.12345_1.laptop,U=12:2,S",                     // mbsync
        "1600000001_0.4242.laptop,U=13,FMD5=7e33429f656f1e6e9d79b29c3f82c57e:2,RS", // OfflineIMAP
        "1600000002.M20P30.dovecot-host,S=1234,W=1260:2,FSa",      // Dovecot with a keyword letter
        "1600000003.plain",                                       // in cur/ without info
    ];

    private static void Write(string path, string subject) =>
        File.WriteAllText(path, $"From: x@example.org\r\nSubject: {subject}\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nbody\r\n");

    [Theory]
    [InlineData(MaildirLayout.MaildirPlusPlus)]
    [InlineData(MaildirLayout.Fs)]
    public async Task Foreign_names_are_adopted_without_renaming_anything(MaildirLayout layout)
    {
        await using var mirror = new TempMirror();
        string sub = layout == MaildirLayout.Fs ? Path.Combine(mirror.Root, "Lists", "dev") : Path.Combine(mirror.Root, ".Lists.dev");
        foreach (var dir in new[] { mirror.Root, sub })
            foreach (var d in new[] { "cur", "new", "tmp" }) Directory.CreateDirectory(Path.Combine(dir, d));
        for (int i = 0; i < CurNames.Length; i++) Write(Path.Combine(mirror.Root, "cur", CurNames[i]), $"cur {i}");
        Write(Path.Combine(mirror.Root, "new", "1700000000.M1P2.mta"), "unread");
        Write(Path.Combine(sub, "cur", "1500000000.1_1.x,U=1:2,"), "list mail");
        var before = Directory.GetFiles(mirror.Root, "*", SearchOption.AllDirectories).Order().ToArray();

        await using var store = await mirror.OpenAsync(layout);
        Assert.Equal(["INBOX", "Lists/dev"], (await store.ListFoldersAsync()).Where(f => f.Selectable).Select(f => f.Name));
        var inbox = await store.OpenFolderAsync("INBOX");
        var messages = (await inbox.SelectAsync()).Messages;
        Assert.Equal(5, messages.Count);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (uint)i), messages.Select(m => m.Uid));
        Assert.Equal(
            [MessageFlags.Seen, MessageFlags.Seen | MessageFlags.Answered, MessageFlags.Seen | MessageFlags.Flagged, MessageFlags.None, MessageFlags.None],
            messages.Select(m => m.Flags));
        var list = await store.OpenFolderAsync("Lists/dev");
        Assert.Single((await list.SelectAsync()).Messages);

        var after = Directory.GetFiles(mirror.Root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith(".imapproxy", StringComparison.Ordinal)).Order().ToArray();
        Assert.Equal(before, after);

        // ENVELOPE was computed once at ingest and cached.
        var details = await inbox.GetDetailsAsync(messages[0].Uid);
        Assert.NotNull(details.Envelope);
        Assert.Contains("\"cur 0\"", Encoding.UTF8.GetString(details.Envelope!));
        Assert.Equal(messages[0].Size, new FileInfo(Path.Combine(mirror.Root, "cur", CurNames[0])).Length);
    }

    [Fact]
    public async Task Dovecot_uids_and_uidvalidity_are_honoured()
    {
        await using var mirror = new TempMirror();
        foreach (var d in new[] { "cur", "new", "tmp" }) Directory.CreateDirectory(Path.Combine(mirror.Root, d));
        Write(Path.Combine(mirror.Root, "cur", "1600000000.M1P1.host,S=90:2,S"), "seven");
        Write(Path.Combine(mirror.Root, "cur", "1600000001.M1P1.host,S=90:2,"), "nine");
        Write(Path.Combine(mirror.Root, "new", "1600000002.M1P1.host"), "unknown to dovecot");
        File.WriteAllText(Path.Combine(mirror.Root, "dovecot-uidlist"),
            "3 V1234567 N12 G0123456789abcdef\n7 W95 :1600000000.M1P1.host,S=90\n9 :1600000001.M1P1.host,S=90\n");

        await using var store = await mirror.OpenAsync();
        var inbox = await store.OpenFolderAsync("INBOX");
        var snapshot = await inbox.SelectAsync();
        Assert.Equal(1234567u, snapshot.Status.UidValidity);
        Assert.Equal([7u, 9u, 12u], snapshot.Messages.Select(m => m.Uid));
        Assert.Equal(13u, snapshot.Status.UidNext);
    }
}
