using System.Diagnostics;

namespace ImapProxy.Integration.Tests.Published;

/// <summary>
/// Which <c>imapproxy</c> the process tests start: the build users install, published by <c>scripts/test</c>
/// (self-contained, trimmed, composite ReadyToRun) and named by <c>IMAPPROXY_PUBLISHED</c>; or, when a developer
/// runs <c>dotnet test</c> alone, the build output next to these tests.
/// </summary>
internal static class ImapProxyExecutable
{
    /// <summary>The variable <c>scripts/test</c> sets to the published app host.</summary>
    public const string PublishedVariable = "IMAPPROXY_PUBLISHED";

    /// <summary>The published app host, or null when none was named.</summary>
    public static string? Published =>
        Environment.GetEnvironmentVariable(PublishedVariable) is { Length: > 0 } path ? path : null;

    /// <summary>A start for <c>imapproxy</c> with <paramref name="arguments"/>, output redirected.</summary>
    public static ProcessStartInfo Start(params string[] arguments)
    {
        var published = Published;
        var start = new ProcessStartInfo(published ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (published is null)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "imapproxy.dll"));
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }
}
