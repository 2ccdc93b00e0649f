// These tests use /bin/sh, flock(1) and Unix file modes: the project runs on Linux (and CI runs it there).
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
