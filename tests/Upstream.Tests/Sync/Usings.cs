global using ImapProxy.Upstream.Sync;
