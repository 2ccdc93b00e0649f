namespace ImapProxy.Tests.Configuration;

/// <summary>A config file with passwords that others can read gets a one-line warning.</summary>
public sealed class ConfigFileSecurityTests
{
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode644 = Mode600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Fact]
    public async Task World_readable_file_with_passwords_warns_once()
    {
        using var config = new TempConfig(TempConfig.MinimalAccount, Mode644);
        await config.LoadAsync();
        var warning = Assert.Single(config.Warnings);
        Assert.Equal($"warning: {config.Path} holds 'password' and 'localpassword' but group or others can read it; "
                     + $"run: chmod 600 {config.Path}", warning);
    }

    [Fact]
    public async Task Group_readable_is_enough_to_warn()
    {
        using var config = new TempConfig(TempConfig.MinimalAccount, Mode600 | UnixFileMode.GroupRead);
        await config.LoadAsync();
        Assert.Single(config.Warnings);
    }

    [Fact]
    public async Task Private_file_does_not_warn()
    {
        using var config = new TempConfig(TempConfig.MinimalAccount, Mode600);
        await config.LoadAsync();
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public async Task Readable_file_warns_for_localpassword_even_when_password_is_a_command()
    {
        using var config = new TempConfig(
            TempConfig.MinimalAccount.Replace("password = secret", "passwordcommand = pass show me")
                .Replace("localpassword = local-secret", "localpassword = x"), Mode644);
        await config.LoadAsync();
        Assert.Equal("warning: " + config.Path + " holds 'localpassword' but group or others can read it; run: chmod 600 "
                     + config.Path, Assert.Single(config.Warnings));
    }
}
