using System.Text.RegularExpressions;
using ImapProxy.Configuration;
using ImapProxy.TestSupport;

namespace ImapProxy.Tests.Configuration;

/// <summary>The key tables in README.md and docs/configuration.md list exactly the keys the loader accepts.</summary>
public sealed partial class DocumentationTests
{
    public static TheoryData<string, string, string> Tables => new()
    {
        { "README.md", "### `[general]`", "general" },
        { "README.md", "### `[account NAME]`", "account" },
        { "docs/configuration.md", "## `[general]`", "general" },
        { "docs/configuration.md", "## `[account NAME]`", "account" },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Every_config_key_is_documented_and_no_other(string file, string heading, string section)
    {
        var documented = KeysUnder(File.ReadAllText(Repository.PathOf(file)), heading);
        var accepted = section == "general" ? ConfigKeys.General : ConfigKeys.Account;
        Assert.Equal(accepted.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        Assert.Equal(documented.Count, documented.Distinct().Count());
    }

    [Fact]
    public void The_secret_commands_are_documented_with_pass_secret_tool_and_gpg()
    {
        foreach (var file in new[] { "README.md", "docs/configuration.md" })
        {
            var text = File.ReadAllText(Repository.PathOf(file));
            Assert.Contains("passwordcommand = pass show", text);
            Assert.Contains("passwordcommand = secret-tool lookup", text);
            Assert.Contains("passwordcommand = gpg --quiet --batch --decrypt", text);
            Assert.Contains("tokencommand = ", text);
        }
    }

    [Fact]
    public void The_readme_names_the_two_commands_and_links_the_benchmarks()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));
        Assert.Contains("scripts/demo", readme);
        Assert.Contains("scripts/test", readme);
        Assert.Contains("[BENCHMARKS.md](BENCHMARKS.md)", readme);
        Assert.Contains("contrib/imapproxy.service", readme);
        foreach (var tool in new[] { "OfflineIMAP", "mbsync", "Dovecot" })
            Assert.Contains($"| {tool}", readme.Split('\n').First(l => l.StartsWith("| | ImapProxy", StringComparison.Ordinal)));
    }

    /// <summary>The backquoted first cells of the table that follows <paramref name="heading"/>.</summary>
    private static List<string> KeysUnder(string markdown, string heading)
    {
        var lines = markdown.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        Assert.True(start >= 0, $"no heading {heading}");
        var keys = new List<string>();
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith('#')))
        {
            var match = FirstCell().Match(line);
            if (match.Success)
                keys.Add(match.Groups[1].Value);
        }
        Assert.NotEmpty(keys);
        return keys;
    }

    [GeneratedRegex(@"^\| `([a-z+]+)` \|")]
    private static partial Regex FirstCell();
}
