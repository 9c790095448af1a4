#!/usr/bin/env python3
"""fmipctl decode --hk-enc-key: the Handover Key Reply of the reference PrRtAdv decrypts with
keys/mn2 to the published handover key; with another key it is reported undecryptable; frames
without a reply carry no "hk" member; a bad key file is a usage error (exit 2).

usage: test_hkenc.py FMIPCTL VECTORS_DIR
"""
import json
import subprocess
import sys

fmipctl, vec = sys.argv[1], sys.argv[2]
ref = json.load(open(vec + '/reference.json'))
fails = []


def check(cond, what):
    if not cond:
        fails.append(what)
        print('FAIL: ' + what)


def decode(*keys):
    args = [fmipctl, 'decode', '--json']
    for k in keys:
        args += ['--hk-enc-key', k]
    p = subprocess.run(args + [vec + '/reference.pcap'], capture_output=True, text=True)
    return p, [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


p, frames = decode(vec + '/keys/mn2.key.pem')
check(p.returncode == 0, 'exit 0 with mn2 (%d: %s)' % (p.returncode, p.stderr))
with_hk = [f for f in frames if 'hk' in f]
check(len(with_hk) == 1 and with_hk[0]['msg'] == 'prrtadv', 'only the PrRtAdv has "hk"')
if with_hk:
    hk = with_hk[0]['hk']
    check(hk.get('key') == ref['send']['handover_key'], 'key = published handover key: %s' % hk)
    check(hk.get('at') == 0 and hk.get('lifetime') == 43200, 'AT 0, lifetime 43200: %s' % hk)
check('1 handover key(s) decrypted' in p.stderr, 'summary on stderr: %r' % p.stderr)

# the wrong key (mn1 is the CGA key, not the encryption key) cannot decrypt it; two keys: the
# right one is found whatever the order
p, frames = decode(vec + '/keys/mn1.key.pem')
hk = [f['hk'] for f in frames if 'hk' in f]
check(hk and hk[0].get('key') is None and hk[0].get('error') == 'undecryptable',
      'mn1 cannot decrypt: %s' % hk)
p, frames = decode(vec + '/keys/mn1.key.pem', vec + '/keys/mn2.key.pem')
hk = [f['hk'] for f in frames if 'hk' in f]
check(hk and hk[0].get('key') == ref['send']['handover_key'], 'mn1 then mn2: %s' % hk)

p, _ = decode(vec + '/reference.json')
check(p.returncode == 2 and 'not an RSA private key' in p.stderr, 'bad key file: exit 2')
p, _ = decode('/nonexistent/key.pem')
check(p.returncode == 2 and 'cannot open' in p.stderr, 'missing key file: exit 2')

print('%d checks failed' % len(fails))
sys.exit(1 if fails else 0)
