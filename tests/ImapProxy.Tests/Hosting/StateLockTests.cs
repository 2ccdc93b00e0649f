using System.Diagnostics;
using ImapProxy.Hosting;
using ImapProxy.TestSupport;

namespace ImapProxy.Tests.Hosting;

/// <summary>Only one serve/sync per state directory; the OS drops the lock when the holder dies.</summary>
public sealed class StateLockTests : IDisposable
{
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), $"imapproxy-state-{Guid.NewGuid():N}", "state");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_stateDir)!, recursive: true);

    [Fact]
    public async Task Second_acquire_is_refused_with_the_holders_pid_then_allowed_after_release()
    {
        var first = await StateLock.AcquireAsync(_stateDir, CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(_stateDir, StateLock.FileName)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(_stateDir));

        var e = await Assert.ThrowsAsync<StateLockException>(() => StateLock.AcquireAsync(_stateDir, CancellationToken.None));
        Assert.Equal($"another imapproxy (pid {Environment.ProcessId}) is already using state directory {_stateDir} "
                     + $"(lock {Path.Combine(_stateDir, "lock")}); stop it first", e.Message);

        await first.DisposeAsync();
        await using var second = await StateLock.AcquireAsync(_stateDir, CancellationToken.None);
        Assert.Equal(Environment.ProcessId.ToString(), File.ReadAllText(Path.Combine(_stateDir, StateLock.PidFileName)).Trim());
    }

    [Fact]
    public async Task A_lock_held_by_another_process_refuses_and_is_freed_when_that_process_is_killed()
    {
        Directory.CreateDirectory(_stateDir);
        var lockPath = Path.Combine(_stateDir, StateLock.FileName);
        // flock(1) takes the same flock(2) lock .NET uses for FileShare.None; -F keeps the lock in the sleeping process.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-x", "-F", lockPath, "sleep", "60"]))!;
        try
        {
            var e = await WaitForRefusalAsync();
            Assert.StartsWith("another imapproxy is already using state directory", e.Message);

            holder.Kill();
            await holder.ExitWithinAsync(() => "the killed flock holder to exit");
            await using var acquired = await StateLock.AcquireAsync(_stateDir, CancellationToken.None);
            Assert.Equal(lockPath, acquired.LockPath);
        }
        finally
        {
            if (!holder.HasExited)
                holder.Kill();
        }
    }

    private async Task<StateLockException> WaitForRefusalAsync()
    {
        // The child needs a moment to take the lock; until then our acquire succeeds (and is released again).
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                await using var unexpected = await StateLock.AcquireAsync(_stateDir, CancellationToken.None);
            }
            catch (StateLockException e)
            {
                return e;
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException("the flock child never took the lock");
    }
}
