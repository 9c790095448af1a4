#!/usr/bin/env python3
"""tshark cross-check of the lib/wire builders and of fmipctl (suite 'fmipctl').

usage: test_tshark.py builders GEN FMIPCTL WORK_DIR
       test_tshark.py reference FMIPCTL VECTORS_DIR

builders   GEN writes every packet the builders produce (and a manifest of what each frame is
           meant to be); tshark, an independent dissector, must dissect each frame as that
           message (icmpv6.type / icmpv6.fmip6.subtype / mip6.mhtype) with no expert info of
           severity warning or error, except the Wireshark 4.0 quirk documented in
           tests/vectors/README.md: "Unknown Data (not interpreted)" inside a Handover Key
           Request/Reply option (type 27/28) whose Pad Length is 2 or more.  fmipctl must
           report the same message for each frame, with no error.
reference  the same for tests/vectors/reference.pcap (rtsolpr, prrtadv, fbu, fbu, fback, fbu,
           fbu).

tshark's JSON repeats keys (one "icmpv6.opt" per option), so it is read as lists of pairs.
"""
import json
import os
import shutil
import subprocess
import sys

FAILS = []
QUIRK = 'Unknown Data (not interpreted)'
SEV_WARN = 0x00600000  # _ws.expert.severity: chat 0x200000, note 0x400000, warn 0x600000, error 0x800000


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print('FAIL: ' + what)


def pairs(x):
    return x  # object_pairs_hook: keep every (key, value), duplicates included


def get_all(node, key):
    """Every value of key anywhere below node (a list of pairs, or a list of those)."""
    out = []
    if isinstance(node, list):
        for item in node:
            if isinstance(item, tuple) and len(item) == 2:
                k, v = item
                if k == key:
                    out.append(v)
                out.extend(get_all(v, key))
            else:
                out.extend(get_all(item, key))
    return out


def first(node, key):
    v = get_all(node, key)
    return v[0] if v else None


def expert_problems(node, opt_ctx=None):
    """(message, severity, option type, pad length) of every expert item at warning or worse,
    with the enclosing ND option if there is one."""
    out = []
    if not isinstance(node, list):
        return out
    ctx = opt_ctx
    keys = dict((k, v) for k, v in node if isinstance(k, str) and not isinstance(v, list)) \
        if all(isinstance(i, tuple) for i in node) else {}
    if 'icmpv6.opt.type' in keys:
        ctx = (keys.get('icmpv6.opt.type'), keys.get('icmpv6.opt.hkr.pad_length'))
    for item in node:
        if isinstance(item, tuple) and len(item) == 2:
            k, v = item
            if k == '_ws.expert' and isinstance(v, list):
                d = dict((a, b) for a, b in v if not isinstance(b, list))
                sev = int(d.get('_ws.expert.severity', '0'))
                if sev >= SEV_WARN:
                    out.append((d.get('_ws.expert.message'), sev, ctx))
            elif k == '_ws.malformed':
                out.append(('_ws.malformed', 0x00800000, ctx))
            out.extend(expert_problems(v, ctx))
        else:
            out.extend(expert_problems(item, ctx))
    return out


def allowed(problem):
    msg, sev, ctx = problem
    if ctx is None or ctx[0] not in ('27', '28') or ctx[1] is None or int(ctx[1]) < 2:
        return False
    return msg in (QUIRK, '_ws.malformed')


def tshark(pcap):
    exe = shutil.which('tshark')
    if not exe:
        print('tshark not found: it is a test dependency (scripts/deps.sh)')
        sys.exit(1)
    env = dict(os.environ, HOME=os.environ.get('HOME', '/tmp'))
    r = subprocess.run([exe, '-n', '-r', pcap, '-T', 'json'], capture_output=True, env=env,
                       timeout=300)
    check(r.returncode == 0, 'tshark exit %d: %s' % (r.returncode, r.stderr[-300:]))
    return json.loads(r.stdout.decode('utf-8'), object_pairs_hook=pairs)


def check_capture(pcap, manifest, fmipctl):
    frames = tshark(pcap)
    check(len(frames) == len(manifest), 'tshark saw %d frames, expected %d' %
          (len(frames), len(manifest)))
    quirks = 0
    for fr, want in zip(frames, manifest):
        tag = 'frame %d (%s): ' % (want['frame'], want['msg'])
        layers = first(fr, 'layers')
        for field in ('icmpv6.type', 'icmpv6.fmip6.subtype', 'mip6.mhtype'):
            if field in want:
                got = get_all(layers, field)
                check(got[:1] == [str(want[field])], tag + '%s %r, expected %r' %
                      (field, got, want[field]))
        protos = first(layers, 'frame.protocols') or ''
        want_proto = 'mipv6' if 'mip6.mhtype' in want else 'icmpv6'
        check(want_proto in protos.split(':'), tag + 'tshark protocols %r' % protos)
        probs = expert_problems(layers)
        bad = [p for p in probs if not allowed(p)]
        quirks += len(probs) - len(bad)
        check(not bad, tag + 'tshark expert items %r' % bad)
    print('tshark: %d frames dissected as intended; %d allowed quirk item(s)' %
          (len(frames), quirks))

    r = subprocess.run([fmipctl, 'decode', '--json', pcap], capture_output=True, timeout=120)
    check(r.returncode == 0, 'fmipctl exit %d' % r.returncode)
    objs = [json.loads(ln) for ln in r.stdout.decode('ascii').splitlines()]
    check(len(objs) == len(manifest), 'fmipctl reported %d frames' % len(objs))
    for o, want in zip(objs, manifest):
        check(o.get('msg') == want['msg'] and 'error' not in o,
              'fmipctl frame %d: %r/%r, expected %s' % (want['frame'], o.get('msg'),
                                                        o.get('error'), want['msg']))


def main():
    if sys.argv[1] == 'builders':
        gen, fmipctl, work = sys.argv[2:5]
        os.makedirs(work, exist_ok=True)
        pcap = os.path.join(work, 'builders.pcap')
        r = subprocess.run([gen, pcap], capture_output=True, timeout=60)
        check(r.returncode == 0, 'generator exit %d: %s' % (r.returncode, r.stderr))
        manifest = [json.loads(ln) for ln in r.stdout.decode('ascii').splitlines()]
        msgs = set(m['msg'] for m in manifest)
        for m in ('rtsolpr', 'prrtadv', 'cps', 'cpa', 'fbu', 'fback', 'hi', 'hack'):
            check(m in msgs, 'the builder capture has a %s' % m)
        check_capture(pcap, manifest, fmipctl)
    else:
        fmipctl, vec = sys.argv[2:4]
        want = [('rtsolpr', 154, 2), ('prrtadv', 154, 3), ('fbu', 8), ('fbu', 8), ('fback', 9),
                ('fbu', 8), ('fbu', 8)]
        manifest = []
        for i, w in enumerate(want):
            m = {'frame': i + 1, 'msg': w[0]}
            if len(w) == 3:
                m['icmpv6.type'], m['icmpv6.fmip6.subtype'] = w[1], w[2]
            else:
                m['mip6.mhtype'] = w[1]
            manifest.append(m)
        check_capture(os.path.join(vec, 'reference.pcap'), manifest, fmipctl)
    if FAILS:
        print('%d check(s) failed' % len(FAILS))
        sys.exit(1)
    print('ok')


if __name__ == '__main__':
    main()
