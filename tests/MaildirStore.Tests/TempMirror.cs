using ImapProxy.Store;

namespace ImapProxy.Store.Tests;

/// <summary>A throwaway mirror directory, deleted after the test.</summary>
internal sealed class TempMirror : IAsyncDisposable
{
    public TempMirror()
    {
        Root = Path.Combine(Path.GetTempPath(), "imapproxy-store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public Task<AccountStore> OpenAsync(MaildirLayout layout = MaildirLayout.MaildirPlusPlus, bool watch = true) =>
        AccountStore.OpenAsync(Root, new MailStoreOptions { Layout = layout, WatchFileSystem = watch, HostName = "test.host" });

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    public static MemoryStream Message(string subject, string body = "Hello\n") =>
        new(System.Text.Encoding.UTF8.GetBytes($"From: a@example.org\nTo: b@example.org\nSubject: {subject}\nMessage-ID: <{Guid.NewGuid():N}@example.org>\n\n{body}"));

    public static string[] Files(string dir) =>
        Directory.Exists(dir) ? Directory.GetFiles(dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray() : [];
}
