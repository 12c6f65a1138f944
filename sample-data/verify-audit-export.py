#!/usr/bin/env python3
"""Verify an AIROTECH Connect audit export offline (docs/audit.md).

    verify-audit-export.py EXPORT.json KEY.hex

EXPORT.json comes from `airotech-connect audit export --tenant ID` (or the console's Export, JSON);
KEY.hex from `airotech-connect audit key --output KEY.hex`, handed over by the operator. Checks that
the key is the one the export names (its SHA-256 is the fingerprint), that every keyed entry's hash
is the HMAC-SHA256 of its content under that key, and that consecutive entries link up. Exit 0 when
everything verifies; 1 naming the first entry that does not.
"""
import hashlib
import hmac
import json
import sys


def canonical(entry, chain):
    # the compact JSON array the gateway hashes: [tenant_id, n, id, at_ms, actor, action, target, detail_text]
    return json.dumps([chain["tenant_id"], chain["n"], entry["id"], chain["at_ms"], entry["actor"], entry["action"],
                       entry["target"], chain["detail_text"]], separators=(",", ":"), ensure_ascii=False)


def main(export_path, key_path):
    key = bytes.fromhex(open(key_path).read().strip())
    fingerprint = hashlib.sha256(key).hexdigest()
    entries = json.load(open(export_path, encoding="utf-8"))
    previous = None
    for e in entries:
        c = e["chain"]
        if json.loads(c["detail_text"]) != e["detail"]:
            return fail(e, "shows a detail that is not the one its hash covers")
        content = (c["prev_hash"] + "\n" + canonical(e, c)).encode("utf-8")
        if c["keyed"]:
            if c.get("key_fingerprint") != fingerprint:
                return fail(e, "was keyed with another key (fingerprint %s, this key's is %s)" % (c.get("key_fingerprint"), fingerprint))
            expected = hmac.new(key, content, hashlib.sha256).hexdigest()
        else:
            expected = hashlib.sha256(content).hexdigest()  # written before the chain was keyed
        if not hmac.compare_digest(expected, c["hash"]):
            return fail(e, "was altered after it was written")
        if previous is not None and previous["tenant_id"] == c["tenant_id"] and previous["n"] + 1 == c["n"] and previous["hash"] != c["prev_hash"]:
            return fail(e, "does not follow entry #%d" % previous["n"])
        previous = c
    print("verified: %d entries, key fingerprint %s" % (len(entries), fingerprint))
    return 0


def fail(entry, why):
    print("audit entry %s (#%d) %s" % (entry["id"], entry["chain"]["n"], why), file=sys.stderr)
    return 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
