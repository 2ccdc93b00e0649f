using ImapProxy.Configuration;

namespace ImapProxy.Tests.Configuration;

/// <summary>Damaged config files end in a one-line <see cref="ConfigException"/>, never in another exception.</summary>
public sealed class ConfigFuzzTests
{
    private const string Valid = """
        [general]
        accounts = personal, work
        maildir = ~/Mail
        listen = [::1]:1143
        loglevel = debug
        [account personal]
        host = imap.example.org
        port = 993
        tls = starttls
        fingerprint = AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89
        user = me@example.org
        password = "se;cret" ; comment
        localuser = personal
        localpassword = local-secret
        folders = * "Sent Items"
        exclude = Spam Trash
        poll = 300
        layout = fs
        massdeletepercent = 40
        [account work]
        host = w
        user = u
        passwordcommand = pass show work
        tokencommand = oauth
        auth = oauthbearer
        localuser = work
        localpassword = l
        """;

    private static readonly string[] Fragments =
    [
        "[", "]", "=", "\"", "\\", ";", "#", " ", "\t", "\n", "\r\n", "~", "~/", "\0", ":", ",", "[account ", "[general]",
        "port", "99999999999", "-1", "::1", "é", "\u2028", "%", "*", "password", "/", "..", "tls = none",
    ];

    [Fact]
    public async Task Mutated_files_load_or_fail_with_a_one_line_config_error()
    {
        using var config = new TempConfig(Valid);
        var random = new Random(20261121);
        var failures = 0;
        for (var round = 0; round < 1000; round++)
        {
            var text = Mutate(Valid, random);
            config.Write(text);
            try
            {
                await config.LoadAsync();
            }
            catch (ConfigException e)
            {
                failures++;
                Assert.DoesNotContain('\n', e.Message);
                Assert.True(e.Message.StartsWith(config.Path, StringComparison.Ordinal), e.Message);
                Assert.False(e.Message.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029'), e.Message);
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round}: {e.GetType().Name}: {e.Message}\n--- input ---\n{text}");
            }
        }
        // Most mutations must break something, or the generator is not exercising the validator.
        Assert.InRange(failures, 300, 1000);
    }

    private static string Mutate(string text, Random random)
    {
        var chars = text.ToList();
        var edits = random.Next(1, 6);
        for (var i = 0; i < edits; i++)
        {
            var at = random.Next(chars.Count + 1);
            switch (random.Next(3))
            {
                case 0 when chars.Count > 0:
                    chars.RemoveRange(Math.Min(at, chars.Count - 1), Math.Min(random.Next(1, 20), chars.Count - Math.Min(at, chars.Count - 1)));
                    break;
                case 1:
                    chars.InsertRange(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                default:
                    chars.Insert(at, (char)random.Next(1, 0x250));
                    break;
            }
        }
        return new string(chars.ToArray());
    }
}
