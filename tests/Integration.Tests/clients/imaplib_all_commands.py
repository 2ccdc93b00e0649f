#!/usr/bin/env python3
"""Drives every command the server advertises with Python's imaplib and asserts the answers.

Usage: imaplib_all_commands.py HOST PORT USER PASSWORD
Exits 0 and prints "ALL OK" when every check passed; otherwise raises with the failing check.
"""
import imaplib
import re
import sys
import time

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

# imaplib (3.11) does not know these extension commands; let it send them.
for name in ("ID", "MOVE", "NAMESPACE", "ENABLE", "UNSELECT", "FROBNICATE"):
    imaplib.Commands.setdefault(name, ("NONAUTH", "AUTH", "SELECTED"))


def ok(result, what):
    typ, data = result
    assert typ == "OK", f"{what}: expected OK, got {typ} {data!r}"
    return data


def no(call, what):
    try:
        typ, data = call()
    except imaplib.IMAP4.error as e:  # imaplib raises on BAD (and on NO for some commands)
        return str(e)
    assert typ == "NO", f"{what}: expected NO, got {typ} {data!r}"
    return data


M = imaplib.IMAP4(host, port)
caps = M.capabilities
assert "IMAP4REV1" in caps, caps

# Wrong password is refused (slowly), then the right one works.
start = time.monotonic()
try:
    M.login(user, password + "x")
    raise AssertionError("login with a wrong password succeeded")
except imaplib.IMAP4.error as e:
    assert "AUTHENTICATIONFAILED" in str(e) or "failed" in str(e).lower(), e
assert time.monotonic() - start >= 0.5, "failed login was not slowed down"

ok(M.login(user, password), "LOGIN")
caps = M.capabilities
ok(M.capability(), "CAPABILITY")
typ, data = M.capability()
words = data[0].decode().upper().split()
for cap in ["IMAP4REV1", "UIDPLUS", "MOVE", "IDLE", "NAMESPACE", "ENABLE", "UNSELECT", "CONDSTORE", "ESEARCH"]:
    assert cap in words, f"capability {cap} missing from {words}"
ok(M.noop(), "NOOP")
ok(M._simple_command("ID", '("name" "imaplib-test")'), "ID")
data = ok(M.namespace(), "NAMESPACE")
assert b'(("" "/"))' in data[0], data

# Mailbox management.
ok(M.create("Work"), "CREATE")
ok(M.create("Work/Sub"), "CREATE child")
no(lambda: M.create("Work"), "CREATE existing")
typ, data = M.list('""', "*")
names = [re.search(rb'"([^"]*)"$|(\S+)$', l).group(0).strip(b'"').decode() for l in data]
assert "INBOX" in names and "Work" in names and "Work/Sub" in names, names
work = [l for l in data if l.endswith(b'"Work"') or l.endswith(b" Work")][0]
assert b"\\HasChildren" in work, work
ok(M.rename("Work/Sub", "Work/Renamed"), "RENAME")
typ, data = M.list("Work/", "%")
assert any(b"Work/Renamed" in l for l in data), data
ok(M.subscribe("Work"), "SUBSCRIBE")
typ, data = M.lsub('""', "*")
assert any(b"Work" in l for l in data if l), data
ok(M.unsubscribe("Work"), "UNSUBSCRIBE")
typ, data = M.lsub('""', "Work")
assert data == [None] or not any(l and b"Work" in l for l in data), data
ok(M.delete("Work/Renamed"), "DELETE")
no(lambda: M.delete("Nope"), "DELETE missing")

# APPEND three messages.
def message(i, subject):
    return (f"From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: {subject}\r\n"
            f"Date: Mon, 7 Feb 1994 21:52:25 -0800\r\nMessage-ID: <m{i}@example.org>\r\n\r\n"
            f"Body number {i} with the word banana{i}.\r\n").encode()

for i, subject in enumerate(["first", "second", "third"], 1):
    data = ok(M.append("Work", "(\\Seen)" if i == 1 else None, imaplib.Time2Internaldate(time.time()), message(i, subject)), "APPEND")
    assert b"APPENDUID" in data[0], data

typ, data = M.status("Work", "(MESSAGES UIDNEXT UNSEEN SIZE)")
assert typ == "OK" and b"MESSAGES 3" in data[0] and b"UNSEEN 2" in data[0], data

# SELECT and read.
data = ok(M.select("Work"), "SELECT")
assert data == [b"3"], data
typ, data = M.fetch("1:3", "(UID FLAGS RFC822.SIZE ENVELOPE)")
assert typ == "OK" and len([d for d in data if isinstance(d, bytes) or isinstance(d, tuple)]) >= 3, data
assert b"\\Seen" in (data[0] if isinstance(data[0], bytes) else data[0][0]), data
typ, data = M.fetch("2", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
assert b"Subject: second" in data[0][1], data
typ, data = M.fetch("3", "(BODY[TEXT])")
assert b"banana3" in data[0][1], data
typ, data = M.fetch("3", "(FLAGS)")
assert b"\\Seen" in data[0], data  # BODY[] (not PEEK) set \Seen
typ, data = M.fetch("1", "(BODYSTRUCTURE)")
assert b'("TEXT" "PLAIN"' in data[0].upper(), data

typ, data = M.search(None, "SUBJECT", "second")
assert data == [b"2"], data
typ, data = M.search(None, "BODY", "banana1")
assert data == [b"1"], data
typ, data = M.search(None, "UNSEEN")
assert data == [b"2"], data
typ, data = M.uid("SEARCH", None, "ALL")
uids = data[0].split()
assert len(uids) == 3, data

typ, data = M.store("2", "+FLAGS", "(\\Flagged $Label1)")
assert b"\\Flagged" in data[0] and b"$Label1" in data[0], data
typ, data = M.search(None, "FLAGGED")
assert data == [b"2"], data
typ, data = M.uid("STORE", uids[1], "-FLAGS.SILENT", "(\\Flagged)")
assert typ == "OK", data

ok(M.create("Archive"), "CREATE Archive")
typ, data = M.copy("1", "Archive")
assert typ == "OK" and b"COPYUID" in data[0], data
typ, data = M.uid("MOVE", uids[0], "Archive")
assert typ == "OK", data
typ, data = M.select("Work")
assert data == [b"2"], data

ok(M.store("1", "+FLAGS", "(\\Deleted)"), "STORE deleted")
typ, data = M.expunge()
assert typ == "OK" and data == [b"1"], data
ok(M.check(), "CHECK")
typ, data = M.select("Archive", readonly=True)
assert typ == "OK" and data == [b"2"], data
no(lambda: M.store("1", "+FLAGS", "(\\Deleted)"), "STORE in EXAMINE")
ok(M.unselect(), "UNSELECT")
ok(M.select("Archive"), "SELECT Archive")
ok(M.store("1:*", "+FLAGS", "(\\Deleted)"), "STORE all deleted")
ok(M.close(), "CLOSE")
typ, data = M.status("Archive", "(MESSAGES)")
assert b"MESSAGES 0" in data[0], data

# ENABLE, IDLE.
typ, data = M._simple_command("ENABLE", "CONDSTORE")
assert typ == "OK", data
ok(M.select("Work"), "SELECT for IDLE")
tag = M._new_tag().decode()
M.send(f"{tag} IDLE\r\n".encode())
line = M.readline()
assert line.startswith(b"+"), line
M.send(b"DONE\r\n")
while True:
    line = M.readline()
    if line.startswith(tag.encode()):
        assert b" OK" in line, line
        break

# SORT and THREAD (RFC 5256) through imaplib's own sort() and thread().
for cap in ["SORT", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES"]:
    assert cap in words, f"capability {cap} missing from {words}"
ok(M.create("Threads"), "CREATE Threads")
threads = [
    ("Plans", "Tue, 8 Feb 1994 10:00:00 +0000", "<t1@example.org>", ""),
    ("Re: Plans", "Tue, 8 Feb 1994 12:00:00 +0000", "<t2@example.org>", "In-Reply-To: <t1@example.org>\r\n"),
    ("Apples", "Mon, 7 Feb 1994 09:00:00 +0000", "<t3@example.org>", ""),
    ("Re: Plans", "Tue, 8 Feb 1994 11:00:00 +0000", "<t4@example.org>", "References: <t1@example.org>\r\n"),
]
for subject, date, msgid, extra in threads:
    body = (f"From: carol@example.org\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: {msgid}\r\n{extra}\r\n"
            f"text\r\n").encode()
    ok(M.append("Threads", None, None, body), "APPEND Threads")
ok(M.select("Threads"), "SELECT Threads")
typ, data = M.sort("(SUBJECT)", "UTF-8", "ALL")
assert typ == "OK" and data == [b"3 1 2 4"], data
typ, data = M.sort("(REVERSE DATE)", "UTF-8", "ALL")
assert data == [b"2 4 1 3"], data
typ, data = M.sort("(SUBJECT DATE)", "US-ASCII", "NOT", "SUBJECT", "apples")
assert data == [b"1 4 2"], data
typ, data = M.uid("SORT", "(DATE)", "UTF-8", "ALL")
assert typ == "OK" and len(data[0].split()) == 4, data
typ, data = M.thread("REFERENCES", "UTF-8", "ALL")
assert typ == "OK" and data == [b"(3)(1 (4)(2))"], data
typ, data = M.thread("ORDEREDSUBJECT", "UTF-8", "ALL")
assert data == [b"(3)(1 (4)(2))"], data
typ, data = M.uid("THREAD", "REFERENCES", "UTF-8", "SUBJECT", "plans")
assert typ == "OK" and data[0].count(b"(") == 3, data
no(lambda: M.sort("(SUBJECT)", "KOI8-R", "ALL"), "SORT with an unknown charset")

# Errors keep the connection open.
try:
    M._simple_command("FROBNICATE")
    raise AssertionError("unknown command accepted")
except imaplib.IMAP4.error:
    pass
try:
    M.fetch("0:x", "(FLAGS)")
    raise AssertionError("bad sequence set accepted")
except imaplib.IMAP4.error:
    pass
ok(M.noop(), "NOOP after errors")

typ, data = M.logout()
assert typ == "BYE", (typ, data)
print("ALL OK")
