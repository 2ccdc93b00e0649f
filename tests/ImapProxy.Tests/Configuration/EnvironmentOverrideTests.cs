using System.Net;

namespace ImapProxy.Tests.Configuration;

/// <summary>IMAPPROXY__GENERAL__KEY and IMAPPROXY__ACCOUNT__NAME__KEY override the file.</summary>
public sealed class EnvironmentOverrideTests
{
    [Fact]
    public async Task General_and_account_keys_are_overridden()
    {
        using var config = new TempConfig("[general]\nlisten = 127.0.0.1:1143\n" + TempConfig.MinimalAccount);
        config.Environment["IMAPPROXY__GENERAL__LISTEN"] = "127.0.0.1:2143";
        config.Environment["IMAPPROXY__ACCOUNT__personal__PASSWORD"] = "from \"env\" ; verbatim";
        config.Environment["IMAPPROXY__ACCOUNT__personal__port"] = "1993";
        config.Environment["IMAPPROXY__ACCOUNT__personal__EXCLUDE"] = "Spam \"Deleted Items\"";
        var loaded = await config.LoadAsync();

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 2143), loaded.General.Listen);
        var account = loaded.Accounts[0];
        Assert.Equal("from \"env\" ; verbatim", await account.Password!.ResolveAsync(CancellationToken.None));
        Assert.Equal(1993, account.Port);
        Assert.Equal(["Spam", "Deleted Items"], account.Exclude);
    }

    [Fact]
    public async Task General_override_works_without_a_general_section()
    {
        using var config = new TempConfig();
        config.Environment["IMAPPROXY__GENERAL__MAILDIR"] = "/srv/mail";
        Assert.Equal("/srv/mail", (await config.LoadAsync()).General.Maildir);
    }

    [Fact]
    public async Task An_empty_value_removes_a_key_so_the_environment_can_swap_passwordcommand_for_password()
    {
        using var config = new TempConfig(TempConfig.MinimalAccount.Replace("password = secret", "passwordcommand = false"));
        config.Environment["IMAPPROXY__ACCOUNT__personal__PASSWORD"] = "env-secret";
        Assert.Equal($"IMAPPROXY__ACCOUNT__personal__PASSWORD: keys 'password' and 'passwordcommand' are both set in [account personal]; keep one",
            await config.LoadErrorAsync());

        config.Environment["IMAPPROXY__ACCOUNT__personal__PASSWORDCOMMAND"] = "";
        var account = (await config.LoadAsync()).Accounts[0];
        Assert.False(account.Password!.IsCommand);
        Assert.Equal("env-secret", await account.Password.ResolveAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("IMAPPROXY__GENERAL__LISTEN", "nowhere",
        "IMAPPROXY__GENERAL__LISTEN: key 'listen' must be ADDRESS:PORT such as 127.0.0.1:1143 or [::1]:1143, not 'nowhere'")]
    [InlineData("IMAPPROXY__ACCOUNT__personal__PORT", "0",
        "IMAPPROXY__ACCOUNT__personal__PORT: key 'port' must be a whole number from 1 to 65535, not '0'")]
    [InlineData("IMAPPROXY__ACCOUNT__personal__PROT", "993",
        "IMAPPROXY__ACCOUNT__personal__PROT: key 'prot' is not known in [account personal]")]
    [InlineData("IMAPPROXY__ACCOUNT__work__HOST", "h",
        "IMAPPROXY__ACCOUNT__work__HOST: there is no [account work] section in {path} to override")]
    [InlineData("IMAPPROXY__LISTEN", "127.0.0.1:1",
        "IMAPPROXY__LISTEN: expected IMAPPROXY__GENERAL__KEY or IMAPPROXY__ACCOUNT__NAME__KEY")]
    [InlineData("IMAPPROXY__ACCOUNT__personal", "x",
        "IMAPPROXY__ACCOUNT__personal: expected IMAPPROXY__GENERAL__KEY or IMAPPROXY__ACCOUNT__NAME__KEY")]
    public async Task Errors_name_the_variable(string variable, string value, string expected)
    {
        using var config = new TempConfig();
        config.Environment[variable] = value;
        Assert.Equal(expected.Replace("{path}", config.Path), await config.LoadErrorAsync());
    }

    [Fact]
    public async Task A_variable_without_the_double_underscore_prefix_is_ignored()
    {
        using var config = new TempConfig();
        config.Environment["IMAPPROXY_CONFIG"] = "/elsewhere.ini";
        config.Environment["IMAPPROXY_DEBUG"] = "1";
        Assert.Single((await config.LoadAsync()).Accounts);
    }
}
