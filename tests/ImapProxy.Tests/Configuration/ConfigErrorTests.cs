namespace ImapProxy.Tests.Configuration;

/// <summary>Every class of configuration error fails with one line naming file, line and key.</summary>
public sealed class ConfigErrorTests
{
    // Line numbers in the expectations count from the first line of the file (the [account personal] header = 1).
    private const string Account = "[account personal]\nhost = imap.example.org\nuser = me@example.org\n"
                                   + "password = secret\nlocaluser = personal\nlocalpassword = local-secret\n";

    public static TheoryData<string, string> Cases => new()
    {
        { Account + "prot = 993\n", "7: key 'prot' is not known in [account personal]" },
        { "[general]\nlisten = 127.0.0.1:1143\nmaildirr = ~/Mail\n" + Account,
            "3: key 'maildirr' is not known in [general]" },
        { Account + "[server]\nhost = x\n", "7: section [server] is not known (expected [general] or [account NAME])" },
        { Account + "[account]\n", "7: section [account] needs a name: [account NAME]" },
        { Account.Replace("[account personal]", "[account ../evil]"),
            "1: account name '../evil' may only use letters, digits and . _ - + @ (and not start with '.')" },
        { Account + "host = other.example.org\n", "7: key 'host' is set twice in [account personal] (first at line 2)" },
        { Account + Account, "7: section [account personal] appears twice (first at line 1)" },
        { "[general]\n[General]\n" + Account, "2: section [general] appears twice (first at line 1)" },
        { Account.Replace("host = imap.example.org\n", ""), "1: required key 'host' is missing in [account personal]" },
        { Account.Replace("user = me@example.org\n", ""), "1: required key 'user' is missing in [account personal]" },
        { Account.Replace("localuser = personal\n", ""), "1: required key 'localuser' is missing in [account personal]" },
        { Account.Replace("localpassword = local-secret\n", ""),
            "1: required key 'localpassword' is missing in [account personal]" },
        { Account.Replace("password = secret\n", ""),
            "1: required key 'password', 'passwordcommand' or 'tokencommand' is missing in [account personal]" },
        { Account + "passwordcommand = pass show me\n",
            "7: keys 'password' and 'passwordcommand' are both set in [account personal]; keep one" },
        { Account + "port = 99999\n", "7: key 'port' must be a whole number from 1 to 65535, not '99999'" },
        { Account + "port = 0\n", "7: key 'port' must be a whole number from 1 to 65535, not '0'" },
        { Account + "port = imaps\n", "7: key 'port' must be a whole number from 1 to 65535, not 'imaps'" },
        { Account + "tls = ssl\n", "7: key 'tls' must be one of implicit, starttls, none, not 'ssl'" },
        { Account + "tls = none\n",
            "7: key 'tls' = none would send the password unencrypted to imap.example.org; set 'allowplaintext = yes' in [account personal] to allow it" },
        { Account.Replace("imap.example.org", "127.0.0.2.example") + "tls = none\n",
            "7: key 'tls' = none would send the password unencrypted to 127.0.0.2.example; set 'allowplaintext = yes' in [account personal] to allow it" },
        { Account + "allowplaintext = maybe\n", "7: key 'allowplaintext' must be yes or no, not 'maybe'" },
        { Account + "poll = 5m\n", "7: key 'poll' must be a whole number from 0 to 604800, not '5m'" },
        { Account + "poll = -1\n", "7: key 'poll' must be a whole number from 0 to 604800, not '-1'" },
        { Account + "timeout = 0\n", "7: key 'timeout' must be a whole number from 1 to 3600, not '0'" },
        { Account + "maxconnections = 0\n", "7: key 'maxconnections' must be a whole number from 1 to 100, not '0'" },
        { Account + "massdeletepercent = 101\n",
            "7: key 'massdeletepercent' must be a whole number from 0 to 100, not '101'" },
        { Account + "massdeleteminimum = lots\n",
            "7: key 'massdeleteminimum' must be a whole number from 0 to 1000000000, not 'lots'" },
        { Account + "layout = mbox\n", "7: key 'layout' must be one of maildir++, fs, not 'mbox'" },
        { Account + "auth = cram-md5\n",
            "7: key 'auth' must be one of auto, login, plain, xoauth2, oauthbearer, not 'cram-md5'" },
        { Account + "auth = xoauth2\n", "7: key 'auth' = xoauth2 needs 'tokencommand' in [account personal]" },
        { Account.Replace("password = secret", "tokencommand = get-token") + "auth = login\n",
            "7: key 'auth' = login needs 'password' or 'passwordcommand' in [account personal]" },
        { Account + "fingerprint = 12:34:56\n",
            "7: key 'fingerprint' must be a SHA-256 hash: 64 hex digits, colons allowed, not '12:34:56'" },
        { "[general]\nlisten = 1143\n" + Account,
            "2: key 'listen' must be ADDRESS:PORT such as 127.0.0.1:1143 or [::1]:1143, not '1143'" },
        { "[general]\nlisten = 127.0.0.1:70000\n" + Account,
            "2: key 'listen' must be ADDRESS:PORT such as 127.0.0.1:1143 or [::1]:1143, not '127.0.0.1:70000'" },
        { "[general]\nlisten = mail.example.org:1143\n" + Account,
            "2: key 'listen' must be ADDRESS:PORT such as 127.0.0.1:1143 or [::1]:1143, not 'mail.example.org:1143'" },
        { "[general]\nlisten = ::1:1143\n" + Account,
            "2: key 'listen' must be ADDRESS:PORT such as 127.0.0.1:1143 or [::1]:1143, not '::1:1143'" },
        { "[general]\nloglevel = verbose\n" + Account,
            "2: key 'loglevel' must be one of trace, debug, info, information, warn, warning, error, critical, none, not 'verbose'" },
        { "[general]\naccounts = personal, work\n" + Account,
            "2: key 'accounts' names 'work', but there is no [account work]" },
        { "[general]\naccounts = personal personal\n" + Account, "2: key 'accounts' names 'personal' twice" },
        { "[general]\ntlslisten = 127.0.0.1:1993\n" + Account, "2: key 'tlslisten' needs 'tlscert' in [general]" },
        { "[general]\ntlscert = /nonexistent/cert.pem\n" + Account,
            "2: key 'tlscert': file '/nonexistent/cert.pem' does not exist" },
        { "[general]\nmaildir = ~bob/Mail\n" + Account, "2: key 'maildir': only '~' and '~/' are expanded, not '~bob/Mail'" },
        { "[general]\nmaildir =\n" + Account, "2: key 'maildir' is empty in [general]" },
        { Account + "[account work]\nhost = h\nuser = u\npassword = p\nlocaluser = personal\nlocalpassword = l\n",
            "11: key 'localuser' = personal is already the local user of [account personal]" },
        { "host = x\n" + Account, "1: key 'host' appears before any [section]" },
        { Account + "just some words\n", "7: expected 'key = value' or '[section]', found 'just some words'" },
        { Account + "exclude = \"Sent Items\n", "7: value of key 'exclude' has an unterminated quote" },
        { "[account personal\n", "1: section header '[account personal' has no closing ']'" },
        { "[general]\n", "no [account NAME] section; at least one account is needed" },
        { Account + "[acc\0ount work]\n", "7: section [acc\\u0000ount work] is not known (expected [general] or [account NAME])" },
        { Account + "po\u202Ert = 1\n", "7: key 'po\\u202Ert' is not known in [account personal]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Fails_with_one_line_naming_file_line_and_key(string content, string expected)
    {
        using var config = new TempConfig(content);
        var message = await config.LoadErrorAsync();
        var separator = char.IsAsciiDigit(expected[0]) ? ":" : ": ";
        Assert.Equal(config.Path + separator + expected, message);
    }

    [Fact]
    public async Task Missing_file_names_the_file()
    {
        using var config = new TempConfig();
        File.Delete(config.Path);
        var message = await config.LoadErrorAsync();
        Assert.StartsWith($"{config.Path}: cannot read the configuration file: ", message);
    }

    [Fact]
    public async Task Tls_listen_on_the_same_address_as_listen_is_refused()
    {
        using var config = new TempConfig();
        var cert = Path.Combine(config.Directory, "cert.pem");
        File.WriteAllText(cert, "not checked here");
        config.Write($"[general]\nlisten = 127.0.0.1:1143\ntlslisten = 127.0.0.1:1143\ntlscert = {cert}\n{TempConfig.MinimalAccount}");
        Assert.Equal($"{config.Path}:3: key 'tlslisten' is the same address as 'listen' (127.0.0.1:1143)",
            await config.LoadErrorAsync());
    }
}
