using ImapProxy.Store;
using ImapProxy.Store.Mime;

namespace ImapProxy.Server.Search;

/// <summary>Reads and parses a message file for the content keys of a SEARCH.</summary>
internal static class SearchContent
{
    public static async Task LoadAsync(MailFolder folder, SearchMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await folder.OpenMessageAsync(message.Info.Uid, cancellationToken).ConfigureAwait(false);
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
            message.Raw = memory.ToArray();
            memory.Position = 0;
            message.Structure = await MimeStructure.ParseAsync(memory, null, cancellationToken).ConfigureAwait(false);
        }
        catch (MessageNotFoundException)
        {
            // Expunged by another writer meanwhile: it simply matches no content key.
        }
    }
}
