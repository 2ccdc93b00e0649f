using System.Text;
using ImapProxy.Store;
using ImapProxy.Store.Index;
using ImapProxy.Store.Tests.Mime;
using ImapProxy.TestSupport;

namespace ImapProxy.Store.Tests;

/// <summary>
/// Bad input at store level: a full disk and a refused permission are reported as <see cref="StoreIOException"/>
/// with nothing recorded for the message (and nothing left behind); malformed messages never make the store throw.
/// </summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task A_full_disk_is_reported_and_nothing_is_recorded()
    {
        await using var mirror = new TempMirror();
        string maildir = Path.Combine(mirror.Root, "maildir");
        Directory.CreateDirectory(maildir);
        // A 512 KiB tmpfs for the Maildir only: the index stays on the ordinary disk, as a full mail partition would leave it.
        var mount = await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", maildir]);
        Assert.True(mount.ExitCode == 0, $"mount -t tmpfs failed (the store tests run as root): {mount.StandardError}");
        try
        {
            var options = new MailStoreOptions { IndexPath = Path.Combine(mirror.Root, "index.sqlite"), HostName = "test.host" };
            await using var store = await AccountStore.OpenAsync(maildir, options);
            var inbox = await store.OpenFolderAsync("INBOX");
            var kept = await inbox.AppendAsync(TempMirror.Message("fits"));
            var before = await inbox.SelectAsync();

            var tooBig = new MemoryStream(Encoding.ASCII.GetBytes("Subject: big\n\n" + new string('x', 1 << 20)));
            var error = await Assert.ThrowsAsync<StoreIOException>(() => inbox.AppendAsync(tooBig, MessageFlags.Seen));
            Assert.IsType<IOException>(error.InnerException, exactMatch: false);

            var after = await inbox.SelectAsync();
            Assert.Equal(before.Status, after.Status);
            Assert.Equal([kept.Uid], after.Messages.Select(m => m.Uid));
            Assert.Empty(TempMirror.Files(Path.Combine(maildir, "tmp")));
            Assert.Empty(TempMirror.Files(Path.Combine(maildir, "cur")));
            // The space of the failed write is given back: the next append fits again and takes the next UID.
            var next = await inbox.AppendAsync(TempMirror.Message("fits again"));
            Assert.Equal(kept.Uid + 1, next.Uid);
        }
        finally
        {
            await ProcessRunner.RunAsync("umount", [maildir]);
        }
    }

    [Theory]
    [InlineData("new", "Cannot deliver")]
    [InlineData("tmp", "Cannot write")]
    public async Task Permission_denied_is_reported_and_nothing_is_recorded(string readOnlyDirectory, string expected)
    {
        await using var mirror = new TempMirror();
        await using (var store = await mirror.OpenAsync(watch: false))
            await (await store.OpenFolderAsync("INBOX")).AppendAsync(TempMirror.Message("before"), MessageFlags.Seen);
        string message = Path.Combine(mirror.Root, "message.eml");
        await File.WriteAllTextAsync(message, "Subject: refused\n\nbody\n");
        // Root ignores permissions, so the append runs as nobody: all of the mirror writable but one directory.
        Assert.Equal(0, (await ProcessRunner.RunAsync("chmod", ["-R", "a+rwX", mirror.Root])).ExitCode);
        Assert.Equal(0, (await ProcessRunner.RunAsync("chmod", ["0555", Path.Combine(mirror.Root, readOnlyDirectory)])).ExitCode);

        var run = await ProcessRunner.RunAsync("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups",
            "dotnet", Path.Combine(AppContext.BaseDirectory, "StoreCrashWriter.dll"), "append", mirror.Root, message]);
        Assert.True(run.ExitCode == 3, $"exit {run.ExitCode}: {run.StandardOutput} {run.StandardError}");
        Assert.Contains(expected, run.StandardOutput);
        Assert.Contains("denied", run.StandardOutput, StringComparison.OrdinalIgnoreCase);

        Assert.Empty(TempMirror.Files(Path.Combine(mirror.Root, "tmp")));
        Assert.Empty(TempMirror.Files(Path.Combine(mirror.Root, "new")));
        await using (var store = await mirror.OpenAsync(watch: false))
        {
            var snapshot = await (await store.OpenFolderAsync("INBOX")).SelectAsync();
            Assert.Equal([1u], snapshot.Messages.Select(m => m.Uid));
            Assert.Equal(2u, snapshot.Status.UidNext);
        }
    }

    /// <summary>Hand-made malformed messages (with Dovecot's answers) plus worse: binary, empty, huge lines, deep nesting.</summary>
    /// <remarks>
    /// Rows carry only the name: xunit serialises every row's arguments at discovery, element by element, and the
    /// 2 MB message as a byte[] argument made discovery of this project take three minutes under load, long enough
    /// for CI's hang detector to kill the test host before any test ran.
    /// </remarks>
    private static readonly Lazy<Dictionary<string, byte[]>> MalformedMessages = new(() =>
    {
        var messages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var row in MimeToleranceTests.Cases) messages.Add((string)row[0], Encoding.UTF8.GetBytes((string)row[1]));
        messages.Add("empty", []);
        messages.Add("binary_with_nuls", Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 256)).ToArray());
        messages.Add("only_newlines", Encoding.ASCII.GetBytes(new string('\n', 1000)));
        messages.Add("two_megabyte_header_line", Encoding.ASCII.GetBytes("Subject: " + new string('s', 2 << 20) + "\n\nbody\n"));
        var nested = new StringBuilder("From: a@b\n");
        for (int i = 0; i < 300; i++) nested.Append($"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n");
        messages.Add("nested_300_deep", Encoding.ASCII.GetBytes(nested.ToString()));
        messages.Add("bad_encodings", Encoding.ASCII.GetBytes(
            "From: =?x-unknown?q?bad?= <a@b>\nSubject: =?utf-8?b?!!!?=\nContent-Type: text/plain; charset=no-such\nContent-Transfer-Encoding: base64\n\n@@@not base64@@@\n"));
        return messages;
    });

    /// <summary>The names of <see cref="MalformedMessages"/>, one row each.</summary>
    public static TheoryData<string> Malformed() => new(MalformedMessages.Value.Keys);

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_message_is_indexed_as_well_as_it_can_be(string name)
    {
        var content = MalformedMessages.Value[name];
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: false);
        var inbox = await store.OpenFolderAsync("INBOX");
        var appended = await inbox.AppendAsync(new MemoryStream(content));
        // The same bytes delivered by another program, found by the scan.
        await File.WriteAllBytesAsync(Path.Combine(mirror.Root, "new", $"1700000000.{name}.mda"), content);
        Directory.SetLastWriteTimeUtc(Path.Combine(mirror.Root, "new"), DateTime.UtcNow.AddSeconds(5));

        var snapshot = await inbox.SelectAsync();
        Assert.Equal(2, snapshot.Messages.Count);
        long crlfSize = content.Length + content.Count(b => b == '\n') - CountCrlf(content);
        foreach (var message in snapshot.Messages)
        {
            Assert.Equal(crlfSize, message.Size);
            var details = await inbox.GetDetailsAsync(message.Uid);
            Assert.NotNull(details.Envelope);
            Assert.NotNull(details.BodyStructure);
            await using var read = await inbox.OpenMessageAsync(message.Uid);
            var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            Assert.Equal(content, copy.ToArray());
        }
        Assert.Equal(appended.Uid, snapshot.Messages[0].Uid);
    }

    [Fact]
    public async Task A_parser_that_throws_does_not_stop_ingest_or_append()
    {
        await using var mirror = new TempMirror();
        await using var store = await mirror.OpenAsync(watch: false);
        store.Analyzer = new ThrowingAnalyzer();
        var inbox = await store.OpenFolderAsync("INBOX");
        await inbox.AppendAsync(new MemoryStream("Subject: a\n\nbody\n"u8.ToArray()));
        await File.WriteAllTextAsync(Path.Combine(mirror.Root, "new", "1700000000.X.mda"), "Subject: b\n\nbody\n");
        Directory.SetLastWriteTimeUtc(Path.Combine(mirror.Root, "new"), DateTime.UtcNow.AddSeconds(5));
        var snapshot = await inbox.SelectAsync();
        Assert.Equal([20L, 20L], snapshot.Messages.Select(m => m.Size)); // counted without the parser, bare LFs as CRLF
        var details = await inbox.GetDetailsAsync(snapshot.Messages[0].Uid);
        Assert.Null(details.Envelope);
    }

    private static int CountCrlf(byte[] content)
    {
        int n = 0;
        for (int i = 1; i < content.Length; i++) if (content[i] == '\n' && content[i - 1] == '\r') n++;
        return n;
    }

    private sealed class ThrowingAnalyzer : IMessageAnalyzer
    {
        public ValueTask<IngestAnalysis> AnalyzeAsync(Stream message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("parser bug");
    }
}
