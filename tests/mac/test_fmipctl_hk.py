#!/usr/bin/env python3
"""fmipctl decode --hk / --hk-file on the published reference capture.

tests/vectors/reference.pcap holds, in order: RtSolPr, PrRtAdv, the AT 0 FBU from the PAR's
link, the AT 0 FBU from the NAR's link, the AT 0 FBack, the AT 1 FBU from the PAR's link and the
AT 1 FBU from the NAR's link (PROTOCOL.md 10, reference.json "fbu"); the keys are the published
ones.  Expected verdicts follow from that, not from fmipctl's own output.
"""
import json
import os
import stat
import subprocess
import sys
import tempfile

FMIPCTL, PCAP = sys.argv[1], sys.argv[2]
with open(os.path.join(os.path.dirname(PCAP), 'reference.json')) as f:
    REF = json.load(f)['fbu']
PCOA = REF['pcoa']
K0 = REF['at0']['key']
K1 = REF['at1']['key']
AT0_FRAMES, AT1_FRAMES = {3, 4, 5}, {6, 7}


def run(*args, rc=0):
    p = subprocess.run([FMIPCTL, 'decode', '--json', *args, PCAP], capture_output=True, text=True)
    assert p.returncode == rc, (args, p.returncode, p.stderr)
    return {d['frame']: d.get('mac') for d in map(json.loads, p.stdout.splitlines())}


def expect(got, ok=(), bad=(), nokey=()):
    want = {1: None, 2: None}
    want.update({n: 'ok' for n in ok})
    want.update({n: 'bad' for n in bad})
    want.update({n: 'no-key' for n in nokey})
    assert got == want, (got, want)


expect(run('--hk', f'{PCOA}={K0}'), ok=AT0_FRAMES, bad=AT1_FRAMES)          # AT 0 default
expect(run('--hk', f'{PCOA}={K1}:1'), ok=AT1_FRAMES, bad=AT0_FRAMES)
expect(run('--hk', f'{PCOA}={K0}:0', '--hk', f'{PCOA}={K1}:1'), ok=AT0_FRAMES | AT1_FRAMES)
expect(run('--hk', f'2003::99={K0}'), nokey=AT0_FRAMES | AT1_FRAMES)
wrong = K0[:-2] + ('00' if K0[-2:] != '00' else '01')
expect(run('--hk', f'{PCOA}={wrong}'), bad=AT0_FRAMES | AT1_FRAMES)
for badspec in ('nonsense', f'{PCOA}=', f'{PCOA}={K0}:16', f'zz={K0}', f'{PCOA}={K0}x'):
    run('--hk', badspec, rc=2)

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, 'keys')
    with open(path, 'w') as f:
        f.write(f'# handover keys\n\n{PCOA}={K0}:0\n  {PCOA}={K1}:1   # AT 1\n')
    os.chmod(path, 0o644)
    run('--hk-file', path, rc=2)  # secrets readable by others: refused
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    expect(run('--hk-file', path), ok=AT0_FRAMES | AT1_FRAMES)
    # --hk and --hk-file together share one table and write one "mac" key
    expect(run('--hk-file', path, '--hk', f'2003::99={K0}'), ok=AT0_FRAMES | AT1_FRAMES)
    with open(path, 'w') as f:
        f.write(f'{PCOA} {K0}\n')
    run('--hk-file', path, rc=2)
print('ok')
