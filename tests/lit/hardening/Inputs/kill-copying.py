#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""kill-copying - interrupt klp-fixup convert while its output copy exists.

  kill-copying [--stop] [--signal NAME] DIR OUT -- COMMAND...

As tests/tools/kill-during, but the copy convert builds OUT in is found
either way convert makes it: a named .klp-fixup.* in DIR (the fallback
without O_TMPFILE), or an unnamed O_TMPFILE in DIR, which has no name to
watch for and shows only as an open file of the process ("DIR/#INODE
(deleted)" in /proc/PID/fd).  Then:
  --stop     SIGSTOP it, print what DIR holds ("stopped: ..."), then
  sends the signal (default KILL) and prints what DIR holds ("killed: ...")
as "OUT present|absent, N temporary files".  Exits 1 if COMMAND ends before
the copy appears (the input is too small to catch it).
"""
import os
import signal
import subprocess
import sys
import time


def default_signals():
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)


def state(d, out):
    temps = [n for n in os.listdir(d) if n.startswith('.klp-fixup.')]
    return '%s %s, %d temporary files' % (
        os.path.basename(out), 'present' if os.path.exists(out) else 'absent', len(temps))


def copying(pid, d, before):
    if any(n.startswith('.klp-fixup.') and n not in before for n in os.listdir(d)):
        return True
    prefix = os.path.realpath(d) + '/#'
    try:
        fds = os.listdir('/proc/%d/fd' % pid)
    except OSError:
        return False
    for fd in fds:
        try:
            target = os.readlink('/proc/%d/fd/%s' % (pid, fd))
        except OSError:
            continue
        if target.startswith(prefix) and target.endswith(' (deleted)'):
            return True
    return False


def main():
    args = sys.argv[1:]
    stop = '--stop' in args
    if stop:
        args.remove('--stop')
    sig = signal.SIGKILL
    if '--signal' in args:
        i = args.index('--signal')
        sig = getattr(signal, 'SIG' + args[i + 1])
        del args[i:i + 2]
    d, out, sep, cmd = args[0], args[1], args[2], args[3:]
    if sep != '--' or not cmd:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    before = set(os.listdir(d))
    # A shell without job control starts background commands with SIGINT
    # ignored: give the command the default handlers a terminal would.
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=default_signals)
    deadline = time.monotonic() + 60
    while not copying(proc.pid, d, before):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            print('kill-copying: the command ended before its copy appeared',
                  file=sys.stderr)
            return 1
    if stop:
        proc.send_signal(signal.SIGSTOP)
        print('stopped:', state(d, out))
        proc.send_signal(sig)
        proc.send_signal(signal.SIGCONT)
    else:
        proc.send_signal(sig)
    status = proc.wait()
    print('killed: %s (status %d)' % (state(d, out), status))
    return 0


if __name__ == '__main__':
    sys.exit(main())
