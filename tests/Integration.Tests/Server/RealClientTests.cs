using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>Real IMAP clients against the server on loopback: Python's imaplib, mbsync, offlineimap3.</summary>
public sealed class RealClientTests
{
    private static string ClientScript(string name) => Path.Combine(AppContext.BaseDirectory, "clients", name);

    [Fact]
    public async Task Python_imaplib_drives_every_command()
    {
        await using var server = await RunningServer.StartAsync();
        var result = await ProcessRunner.RunAsync("python3",
            [ClientScript("imaplib_all_commands.py"), "127.0.0.1", server.Port.ToString(), RunningServer.User, RunningServer.Password]);
        Assert.True(result.ExitCode == 0, $"imaplib script failed:\n{result.StandardOutput}\n{result.StandardError}");
        Assert.Contains("ALL OK", result.StandardOutput);
    }

    [Fact]
    public async Task Mbsync_copies_the_whole_mirror()
    {
        await using var server = await RunningServer.StartAsync();
        var expected = await MirrorSeed.FillAsync(server.Store);
        var target = Directory.CreateTempSubdirectory("imapproxy-mbsync-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(target, "mail"));
            var config = Path.Combine(target, "mbsyncrc");
            File.WriteAllText(config, $"""
                IMAPAccount local
                Host 127.0.0.1
                Port {server.Port}
                User {RunningServer.User}
                Pass {RunningServer.Password}
                SSLType None
                AuthMechs LOGIN

                IMAPStore remote
                Account local

                MaildirStore near
                Path {target}/mail/
                Inbox {target}/mail/INBOX
                SubFolders Verbatim

                Channel all
                Far :remote:
                Near :near:
                Patterns *
                Create Near
                Sync Pull
                SyncState *
                """);
            var result = await ProcessRunner.RunAsync("mbsync", ["-c", config, "-a"]);
            Assert.True(result.ExitCode == 0, $"mbsync failed:\n{result.StandardOutput}\n{result.StandardError}");
            foreach (var (folder, count) in expected)
            {
                var path = folder == "INBOX" ? Path.Combine(target, "mail", "INBOX") : Path.Combine(target, "mail", folder);
                var files = Directory.GetFiles(Path.Combine(path, "cur")).Length + Directory.GetFiles(Path.Combine(path, "new")).Length;
                Assert.True(files == count, $"{folder}: mbsync has {files} messages, mirror has {count}\n{result.StandardError}");
            }
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public async Task Offlineimap_copies_the_whole_mirror()
    {
        await using var server = await RunningServer.StartAsync();
        var expected = await MirrorSeed.FillAsync(server.Store);
        var target = Directory.CreateTempSubdirectory("imapproxy-offlineimap-").FullName;
        try
        {
            var config = Path.Combine(target, "offlineimaprc");
            File.WriteAllText(config, $"""
                [general]
                accounts = local
                metadata = {target}/meta

                [Account local]
                localrepository = near
                remoterepository = far

                [Repository near]
                type = Maildir
                localfolders = {target}/mail

                [Repository far]
                type = IMAP
                remotehost = 127.0.0.1
                remoteport = {server.Port}
                remoteuser = {RunningServer.User}
                remotepass = {RunningServer.Password}
                ssl = no
                starttls = no
                readonly = True
                """);
            var result = await ProcessRunner.RunAsync("offlineimap", ["-c", config, "-o", "-u", "basic"]);
            Assert.True(result.ExitCode == 0, $"offlineimap failed:\n{result.StandardOutput}\n{result.StandardError}");
            Assert.DoesNotContain("ERROR", result.StandardOutput + result.StandardError);
            foreach (var (folder, count) in expected)
            {
                var path = Path.Combine(target, "mail", folder.Replace('/', '.'));
                Assert.True(Directory.Exists(path), $"{folder} missing; offlineimap made: {string.Join(", ", Directory.GetDirectories(Path.Combine(target, "mail")))}\n{result.StandardOutput}{result.StandardError}");
                var files = Directory.GetFiles(Path.Combine(path, "cur")).Length + Directory.GetFiles(Path.Combine(path, "new")).Length;
                Assert.True(files == count, $"{folder}: offlineimap has {files} messages, mirror has {count}\n{result.StandardOutput}\n{result.StandardError}");
            }
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }
}
