namespace ImapProxy.Upstream.Client;

public sealed partial class ImapClient
{
    // Cancelling the shutdown token runs every callback registered on it, and then reports the callbacks that threw.
    // A stream's read registers one that cancels the stream's own internal token source (System.IO.Pipelines'
    // StreamPipeReader does); when that reader is completed at the same moment, its source is already disposed and
    // the callback throws ObjectDisposedException. The other callbacks have run by then, so shutdown is complete:
    // that one report is noise and must not escape as a non-protocol error (found by the fuzz test, case 33066).
    private void CancelShutdown()
    {
        try
        {
            _shutdown.Cancel();
        }
        catch (Exception e) when (IsDisposalRace(e))
        {
        }
    }

    private async Task CancelShutdownAsync()
    {
        try
        {
            await _shutdown.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsDisposalRace(e))
        {
        }
    }

    private static bool IsDisposalRace(Exception e) => e switch
    {
        ObjectDisposedException => true,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.All(inner => inner is ObjectDisposedException),
        _ => false,
    };
}
