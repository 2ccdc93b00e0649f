using ImapProxy.Configuration;
using ImapProxy.Upstream.Client;

namespace ImapProxy.Tests.Configuration;

/// <summary>The account's settings reach the upstream client and sync engine options unchanged.</summary>
public sealed class AccountConfigMappingTests
{
    [Fact]
    public async Task Upstream_options_carry_every_connection_setting_and_resolve_secrets_per_login()
    {
        using var config = new TempConfig(TempConfig.MinimalAccount
            .Replace("password = secret", "passwordcommand = echo from-command\ntokencommand = echo a-token\nauth = xoauth2")
            + "\nport = 1993\ntls = starttls\nfingerprint = " + new string('a', 64) + "\nallowplaintext = yes\ntimeout = 42\n");
        var options = (await config.LoadAsync()).Accounts[0].ToUpstreamOptions();

        Assert.Equal(("imap.example.org", 1993, TlsMode.StartTls, true), (options.Host, options.Port, options.Tls, options.AllowPlaintext));
        Assert.Equal(new string('A', 64), options.Fingerprint);
        Assert.Equal("me@example.org", options.User);
        Assert.Null(options.Password);
        Assert.Equal("from-command", await options.PasswordProvider!(CancellationToken.None));
        Assert.Equal("a-token", await options.TokenProvider!(CancellationToken.None));
        Assert.Equal(["XOAUTH2"], options.Mechanisms!);
        Assert.Equal((TimeSpan.FromSeconds(42), TimeSpan.FromSeconds(42)), (options.ConnectTimeout, options.ReadTimeout));
    }

    [Theory]
    [InlineData("auto", null)]
    [InlineData("login", "LOGIN")]
    [InlineData("plain", "PLAIN")]
    public async Task Auth_maps_to_the_mechanism_list(string auth, string? mechanism)
    {
        using var config = new TempConfig(TempConfig.MinimalAccount + $"\nauth = {auth}\n");
        var options = (await config.LoadAsync()).Accounts[0].ToUpstreamOptions();
        Assert.Equal(mechanism, options.Mechanisms?.Single());
        Assert.Null(options.TokenProvider);
        Assert.Equal("secret", await options.PasswordProvider!(CancellationToken.None));
    }

    [Fact]
    public async Task Sync_options_carry_the_deletion_guard_and_the_run_flags()
    {
        using var config = new TempConfig(TempConfig.MinimalAccount + "\nmassdeletepercent = 25\nmassdeleteminimum = 7\n");
        var options = (await config.LoadAsync()).Accounts[0].ToSyncOptions(dryRun: true, allowMassDelete: false);
        Assert.Equal((true, false, 0.25, 7), (options.DryRun, options.AllowMassDelete, options.MassDeleteShare, options.MassDeleteMinMessages));
    }
}
