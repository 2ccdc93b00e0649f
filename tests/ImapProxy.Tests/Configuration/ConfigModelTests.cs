using System.Net;
using ImapProxy.Configuration;
using ImapProxy.Store;
using ImapProxy.Upstream.Client;
using Microsoft.Extensions.Logging;

namespace ImapProxy.Tests.Configuration;

/// <summary>Valid files become the typed model, with documented defaults.</summary>
public sealed class ConfigModelTests
{
    [Fact]
    public async Task The_documented_example_loads()
    {
        using var config = new TempConfig("""
            [general]
            accounts = personal              ; default: every [account …] section
            maildir  = ~/Mail                ; account A's mirror lives at <maildir>/<A>
            statedir = ~/.local/state/imapproxy
            listen   = 127.0.0.1:1143
            # a full-line comment
            [account personal]
            host = imap.example.org
            port = 993
            tls  = implicit                  ; implicit | starttls | none
            user = me@example.org
            password = secret                ; or: passwordcommand = pass show mail/me
            localuser = personal             ; what local clients log in with at localhost:1143
            localpassword = local-secret
            folders = *                      ; include patterns (* and %)
            exclude = Spam Trash
            idle = INBOX
            poll = 300
            maxconnections = 4
            layout = maildir++               ; or: fs
            """);
        var loaded = await config.LoadAsync();

        Assert.Equal(config.Path, loaded.SourcePath);
        Assert.Equal(Path.Combine(config.Home, "Mail"), loaded.General.Maildir);
        Assert.Equal(Path.Combine(config.Home, ".local/state/imapproxy"), loaded.General.StateDir);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 1143), loaded.General.Listen);
        var account = Assert.Single(loaded.Accounts);
        Assert.Equal("personal", account.Name);
        Assert.Equal(Path.Combine(config.Home, "Mail", "personal"), account.MaildirPath);
        Assert.Equal(("imap.example.org", 993, TlsMode.Implicit), (account.Host, account.Port, account.Tls));
        Assert.Equal("me@example.org", account.User);
        Assert.False(account.Password!.IsCommand);
        Assert.Equal("secret", await account.Password.ResolveAsync(CancellationToken.None));
        Assert.Null(account.Token);
        Assert.Equal(("personal", "local-secret"), (account.LocalUser, account.LocalPassword));
        Assert.Equal(["*"], account.Folders);
        Assert.Equal(["Spam", "Trash"], account.Exclude);
        Assert.Equal(["INBOX"], account.Idle);
        Assert.Equal(TimeSpan.FromMinutes(5), account.Poll);
        Assert.Equal(4, account.MaxConnections);
        Assert.Equal(MaildirLayout.MaildirPlusPlus, account.Layout);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public async Task Defaults_apply_when_keys_are_absent()
    {
        using var config = new TempConfig();
        config.Environment["XDG_STATE_HOME"] = "/var/xdg-state";
        var loaded = await config.LoadAsync();

        Assert.Equal(Path.Combine(config.Home, "Mail"), loaded.General.Maildir);
        Assert.Equal("/var/xdg-state/imapproxy", loaded.General.StateDir);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 1143), loaded.General.Listen);
        Assert.Null(loaded.General.TlsListen);
        Assert.Equal(LogLevel.Information, loaded.General.LogLevel);
        var account = Assert.Single(loaded.Accounts);
        Assert.Equal((993, TlsMode.Implicit, AuthMechanism.Auto, false), (account.Port, account.Tls, account.Auth, account.AllowPlaintext));
        Assert.Equal(MassDeleteGuard.Default, account.MassDelete);
        Assert.Equal(TimeSpan.FromSeconds(60), account.Timeout);
        Assert.Null(account.Fingerprint);
    }

    [Fact]
    public async Task Every_key_is_read_into_the_model()
    {
        using var config = new TempConfig();
        var cert = Path.Combine(config.Directory, "cert.pem");
        var key = Path.Combine(config.Directory, "key.pem");
        File.WriteAllText(cert, "");
        File.WriteAllText(key, "");
        config.Write("""
            [general]
            accounts = work, personal
            maildir = mail
            statedir = "/tmp/state dir"
            listen = [::1]:0
            tlslisten = localhost:1993
            tlscert = cert.pem
            tlskey = ~/../key.pem
            LogLevel = Debug
            [account personal]
            host = imap.example.org
            user = me
            passwordcommand = pass show mail/me | head -1
            tokencommand = oauth2 --token
            auth = oauthbearer
            localuser = p
            localpassword = "x ; not a comment"
            [account work]
            HOST = mail.work.example
            tls = starttls
            fingerprint = ab:CD:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89
            user = w
            password = p#not-a-comment
            localuser = w
            localpassword = lw
            folders = INBOX "Sent Items" Projects/%
            exclude = "Deleted Items"
            idle = INBOX Projects/Urgent
            poll = 0
            maxconnections = 8
            layout = fs
            massdeletepercent = 10
            massdeleteminimum = 0
            timeout = 120
            """);
        var loaded = await config.LoadAsync();

        Assert.Equal(Path.Combine(config.Directory, "mail"), loaded.General.Maildir);
        Assert.Equal("/tmp/state dir", loaded.General.StateDir);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 0), loaded.General.Listen);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 1993), loaded.General.TlsListen);
        Assert.Equal(cert, loaded.General.TlsCertificate);
        Assert.Equal(key, loaded.General.TlsKey);
        Assert.Equal(LogLevel.Debug, loaded.General.LogLevel);
        Assert.Equal(["work", "personal"], loaded.Accounts.Select(a => a.Name));

        var work = loaded.FindAccount("work")!;
        Assert.Equal(("mail.work.example", 143, TlsMode.StartTls), (work.Host, work.Port, work.Tls));
        Assert.Equal("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789", work.Fingerprint);
        Assert.Equal("p#not-a-comment", await work.Password!.ResolveAsync(CancellationToken.None));
        Assert.Equal(["INBOX", "Sent Items", "Projects/%"], work.Folders);
        Assert.Equal(["Deleted Items"], work.Exclude);
        Assert.Equal(["INBOX", "Projects/Urgent"], work.Idle);
        Assert.Equal(TimeSpan.Zero, work.Poll);
        Assert.Equal(8, work.MaxConnections);
        Assert.Equal(MaildirLayout.Fs, work.Layout);
        Assert.Equal(new MassDeleteGuard(10, 0), work.MassDelete);
        Assert.Equal(TimeSpan.FromSeconds(120), work.Timeout);

        var personal = loaded.FindByLocalUser("p")!;
        Assert.Equal("personal", personal.Name);
        Assert.Equal(AuthMechanism.OAuthBearer, personal.Auth);
        Assert.Equal("pass show mail/me | head -1", personal.Password!.CommandLine);
        Assert.Equal("oauth2 --token", personal.Token!.CommandLine);
        Assert.Equal("x ; not a comment", personal.LocalPassword);
        Assert.Null(loaded.FindAccount("Work"));
    }

    [Fact]
    public async Task Sections_left_out_of_accounts_are_validated_but_inactive()
    {
        using var config = new TempConfig("[general]\naccounts = personal\n" + TempConfig.MinimalAccount
            + "\n[account old]\nhost = h\nuser = u\npassword = p\nlocaluser = o\nlocalpassword = l\n");
        var loaded = await config.LoadAsync();
        Assert.Equal(["personal"], loaded.Accounts.Select(a => a.Name));

        config.Write("[general]\naccounts = personal\n" + TempConfig.MinimalAccount + "\n[account old]\nhost = h\n");
        Assert.Equal($"{config.Path}:9: required key 'user' is missing in [account old]", await config.LoadErrorAsync());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Tls_none_to_a_loopback_host_needs_no_allowplaintext(string host)
    {
        using var config = new TempConfig(TempConfig.MinimalAccount.Replace("imap.example.org", host) + "\ntls = none\n");
        var account = (await config.LoadAsync()).Accounts[0];
        Assert.Equal((TlsMode.None, 143, false), (account.Tls, account.Port, account.AllowPlaintext));
    }

    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(11, 20, false)] // 20 messages: at the minimum, never guarded
    [InlineData(11, 21, true)]
    [InlineData(10, 21, false)] // 10 of 21 is less than half
    [InlineData(50, 100, false)] // exactly half is not "more than half"
    [InlineData(51, 100, true)]
    public void Mass_delete_guard_trips_on_more_than_half_of_more_than_twenty(int deletions, int count, bool trips) =>
        Assert.Equal(trips, MassDeleteGuard.Default.Trips(deletions, count));
}
