#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# A small but real Debian workload for the podman tests: file I/O, threads,
# a subprocess, a Unix socket pair, json and sqlite3. Its output depends only
# on what it computes, so a run under the recorded profile must print exactly
# what the recording run printed.
import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import tempfile
import threading


def files(tmp):
    path = os.path.join(tmp, "data.bin")
    with open(path, "wb") as f:
        for i in range(256):
            f.write(bytes([i]) * 1024)
        f.flush()
        os.fsync(f.fileno())
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    os.rename(path, path + ".old")
    size = os.stat(path + ".old").st_size
    os.unlink(path + ".old")
    return {"size": size, "sha256": digest[:16]}


def threads():
    results = [0] * 8
    lock = threading.Lock()

    def work(i):
        s = sum(j * j for j in range(10000 * (i + 1)))
        with lock:
            results[i] = s % 9973

    ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return results


def child():
    out = subprocess.run(["/bin/sh", "-c", "echo from-child; ls / | wc -l"],
                         capture_output=True, text=True, check=True)
    return out.stdout.split()


def sockets():
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with a, b:
        a.sendall(b"ping over a unix socket pair")
        return b.recv(64).decode()


def database(tmp):
    db = sqlite3.connect(os.path.join(tmp, "w.db"))
    with db:
        db.execute("create table t (k text primary key, v integer)")
        db.executemany("insert into t values (?, ?)", [(f"k{i}", i * i) for i in range(100)])
    total, = db.execute("select sum(v) from t where v % 2 = 0").fetchone()
    db.close()
    return total


def main():
    with tempfile.TemporaryDirectory() as tmp:
        report = {
            "files": files(tmp),
            "threads": threads(),
            "child": child(),
            "socketpair": sockets(),
            "sqlite": database(tmp),
        }
    text = json.dumps(report, sort_keys=True)
    assert json.loads(text) == report
    print(text)


if __name__ == "__main__":
    main()
