namespace ImapProxy.Store;

/// <summary>How folder names map to directories under the account's mirror root.</summary>
public enum MaildirLayout
{
    /// <summary>Maildir++ (default, as Dovecot and Courier lay it out): INBOX is the root, <c>a/b</c> is <c>.a.b</c> with a <c>maildirfolder</c> file.</summary>
    MaildirPlusPlus,
    /// <summary>Nested directories (<c>layout = fs</c>): INBOX is the root, <c>a/b</c> is <c>a/b/</c>.</summary>
    Fs,
}
