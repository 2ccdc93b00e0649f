using ImapProxy.Store.Index;

namespace ImapProxy.Store;

public sealed partial class MailFolder
{
    /// <summary>
    /// Gives back the memory of the message file names when no one is watching the folder (no subscriber, no call
    /// in progress): they are a third of what an open folder holds, and the index has them for the next operation
    /// that needs them, as after an open from the state blob. False when the folder was busy or already lean.
    /// </summary>
    internal async Task<bool> TrimAsync()
    {
        if (_hub.HasSubscribers || !await _gate.WaitAsync(0).ConfigureAwait(false)) return false;
        try
        {
            if (!_namesLoaded || _closed || _reloadNeeded) return false;
            foreach (var entry in _messages) entry.FileName = null!;
            _byFileName = new Dictionary<string, MessageEntry>(StringComparer.Ordinal);
            _namesLoaded = false;
            return true;
        }
        finally { _gate.Release(); }
    }
}
