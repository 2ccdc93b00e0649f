using ImapProxy.Configuration;

namespace ImapProxy.Tests.Configuration;

/// <summary>A throwaway directory holding a config file, with an environment whose HOME points into it.</summary>
internal sealed class TempConfig : IDisposable
{
    public const string MinimalAccount = """
        [account personal]
        host = imap.example.org
        user = me@example.org
        password = secret
        localuser = personal
        localpassword = local-secret
        """;

    public TempConfig(string content = MinimalAccount, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("imapproxy-config-").FullName;
        Home = System.IO.Path.Combine(Directory, "home");
        System.IO.Directory.CreateDirectory(Home);
        Path = System.IO.Path.Combine(Directory, "config.ini");
        Write(content, mode);
        Environment = new Dictionary<string, string> { ["HOME"] = Home };
    }

    public string Directory { get; }

    public string Home { get; }

    public string Path { get; }

    public Dictionary<string, string> Environment { get; }

    public List<string> Warnings { get; } = [];

    public void Write(string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        File.WriteAllText(Path, content);
        File.SetUnixFileMode(Path, mode);
    }

    public Task<ProxyConfig> LoadAsync() =>
        ConfigLoader.LoadAsync(Path, Environment, Warnings.Add, CancellationToken.None);

    /// <summary>Loads and returns the one-line error it must fail with.</summary>
    public async Task<string> LoadErrorAsync()
    {
        var e = await Assert.ThrowsAsync<ConfigException>(LoadAsync);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
