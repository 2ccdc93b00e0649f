#!/usr/bin/env python3
"""Reads the demo's mail through the proxy with imaplib and prints one JSON object (for DemoTests)."""
import imaplib
import json
import re
import sys

host, port, user, password, subject = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
imap = imaplib.IMAP4(host, port)
imap.login(user, password)
typ, listing = imap.list()
assert typ == "OK", listing
folders = sorted(re.search(rb'"([^"]*)"$|(\S+)$', line).group(0).decode().strip('"') for line in listing)
counts = {}
for folder in folders:
    typ, data = imap.status(folder, "(MESSAGES)")
    assert typ == "OK", data
    counts[folder] = int(re.search(rb"MESSAGES (\d+)", data[0]).group(1))
typ, data = imap.select("INBOX", readonly=True)
assert typ == "OK", data
typ, data = imap.uid("SEARCH", "SUBJECT", '"' + subject + '"')
assert typ == "OK", data
uids = data[0].split()
typ, data = imap.uid("FETCH", uids[0], "(BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[TEXT])")
assert typ == "OK", data
header = data[0][1].decode().strip()
body = data[1][1].decode().strip() if len(data) > 1 and isinstance(data[1], tuple) else ""
imap.logout()
print(json.dumps({"folders": folders, "counts": counts, "found": len(uids), "header": header, "body": body}))
