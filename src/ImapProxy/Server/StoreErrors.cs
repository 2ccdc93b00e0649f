using ImapProxy.Store;

namespace ImapProxy.Server;

/// <summary>The store's deliberate errors as tagged NO responses with RFC 5530 response codes.</summary>
internal static class StoreErrors
{
    public static CommandResult ToResult(MailStoreException error) => error switch
    {
        FolderNotFoundException => CommandResult.No(error.Message, "NONEXISTENT"),
        FolderExistsException => CommandResult.No(error.Message, "ALREADYEXISTS"),
        InvalidFolderNameException => CommandResult.No(error.Message, "CANNOT"),
        MessageNotFoundException => CommandResult.No(error.Message, "EXPUNGEISSUED"),
        StoreIOException => CommandResult.No(error.Message, "SERVERBUG"),
        _ => CommandResult.No(error.Message),
    };
}
