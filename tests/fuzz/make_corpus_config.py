#!/usr/bin/env python3
"""Regenerate the seeds of fuzz_config and fuzz_tel_params, and fuzz_config.dict.

usage: make_corpus_config.py FUZZ_DIR SAMPLE.conf
       (tests/fuzz/make_corpus_config.py tests/fuzz conf/fmipgw.conf)

corpus_config/ (the input layout is fuzz_config.c's: CONFIG [SEP ROUTES], "@D@/NAME" one of
the in-memory files the target provides for the names the sample uses):
  - the sample configuration without its comment lines, its /etc/fmipgw/ paths in @D@, and the
    same with a few of its comments (';' and '#' lines, a trailing '; comment');
  - variants that reach every key type and every part of the reader: labelled routes and a
    route file, static neighbours and the exception map, [ap.*] sections of every kind, lcore
    lists, at_map variants (short tags: warnings), the OpenSSL backend, tunnel and handover
    keys;
  - refusals, one per check: duplicate key and section, key outside a section, long line and
    value, unknown key and section, bad values, ap lla twice, route file errors, exception
    conflicts, cross-key rules.
corpus_tel_params/: requests as a telemetry client writes them ("/fmipgw/lcore,3", ...).
fuzz_config.dict: the sections, keys and enum values of the sample, and the route words.
Files are named by their SHA-1; replace the directories rather than add to them.
"""
import hashlib
import os
import re
import shutil
import sys

SEP = b'\n%%routes%%\n'

MIN = ('[router]\nkey_file = @D@/router.key.pem\nprefixes = 2003::/64\n'
       '[par]\naddresses = 2003::1\n')

VARIANTS = [
    MIN,
    # labelled routes + a route file (with comments), static neighbours, the exception map
    (MIN + '[routes]\nroute.up = default via fe80::1 port 1\nfile = @D@/routes.txt\n'
     'route.acc = 2001:db8:1::/64 connected port 0\nroute.me = 2001:db8:1::1/128 local\n'
     '[neighbours]\nstatic.b = fe80::b port 1 02:00:00:00:0b:0b\n'
     'static.c = fe80::c port 0 02:00:00:00:0c:0c\n'
     '[icmp6]\nerror_rate = 7\nerror_burst = 3\n[exception]\nports = 2:0, 3:1\nnd = true\n',
     '# core\n2001:db8:100::/40 via fe80::b port 1\n\n2001:db8:1::1/128 local ; me\n'
     'default via fe80::2 port 0\n2001:db8:2::/48 connected port 1\n'),
    # access points of every kind
    (MIN + '[ap.west]\nlla = 02:00:00:00:0a:01\nkind = nar\nnar_lla = 02:00:00:00:0b:01\n'
     'nar_addr = 2003:0:0:1::1\nnar_prefix = 2003:0:0:1::/64\nport = 0\n'
     '[ap.here]\nlla = 02:00:00:00:0a:02\nkind = current-if\n'
     '[ap.np]\nlla = 02:00:00:00:0a:03\nkind = no-prefix\n'
     '[ap.nf]\nlla = 02:00:00:00:0a:04\nkind = no-fmip\n'),
    # lcores, idle, distribution, rings and ports
    (MIN + '[lcores]\ncontrol = 1\nslow = 2-4, 6\nidle = adaptive\nidle_sleep_us = 50\n'
     'distribute = on\n[rings]\nring_size = 4096\n[ports]\npass_through = other\n'
     'mbufs = 16383\nmbuf_cache = 128\nrx_desc = 512\ntx_desc = 2048\nburst = 16\n'
     'rss = false\npromiscuous = no\n'),
    # MAC: three ATs, short tags (warnings), the OpenSSL backend (a warning)
    (MIN + '[mac]\nbackend = openssl\narch = avx2\nburst = 8\n'
     'at_map = 0:hmac-sha1:8, 1:hmac-sha256:32, 7:hmac-sha1:20\n'),
    # SEND, FBU, keys, binding, tunnel, handover, policer, log, security
    (MIN.replace('prefixes = 2003::/64', 'prefixes = 2003::/64, 2003:0:0:1::/64\n'
                 'address = fe80::1\nparams_file = @D@/router.cga.params\n'
                 'cert_file = @D@/router.chain.pem\nanchor_file = @D@/trust-anchor.pem')
     .replace('addresses = 2003::1', 'addresses = 2003::1, 2003::2')
     + '[keys]\ncapacity = 1024\nhk_lifetime = 600\n[send]\nmin_bits = 2048\n'
     'max_bits = 2048\naccept_nonce_only = true\nreply_on_failure = off\n'
     '[fbu]\nmax_lifetime = 120\nlifetime_4s = true\nfast_decode = false\npipeline_depth = 0\n'
     '[binding]\ncapacity = 0\nsweep_batch = 64\n[tunnel]\nsource = 2003::1\nmtu = 1400\n'
     'traffic_class_mode = fixed\ntraffic_class = 46\nflow_label_mode = copy\n'
     '[handover]\nhi = false\nhi_retries = 0\nnar = false\n[policer]\nrtsolpr_rate = 0\n'
     'hack_burst = 1\n[log]\nlevel = debug\n[security]\nallow_core_dumps = true\n'
     'secret_heap_mb = 4\n'),
]

REFUSALS = [
    MIN + '[par]\naddresses = 2003::2\n',                       # section twice
    MIN + '[keys]\ncapacity = 100\ncapacity = 200\n',            # key twice
    'capacity = 100\n' + MIN,                                    # key outside a section
    MIN + '[keys]\ncapacity = ' + '1' * 300 + '\n',              # line too long
    MIN + '[router]x\n',                                         # junk after ']'
    MIN + '[keys\n',                                             # no ']'
    MIN + '[keys]\nno_such_key = 1\n',
    MIN + '[nosuch]\n',
    MIN + '[keys]\ncapacity = -1\n',
    MIN + '[keys]\ncapacity = 15\n',
    MIN + '[keys]\ncapacity = 0x10\n',
    MIN + '[ports]\nrss = maybe\n',
    MIN + '[ports]\npass_through = sometimes\n',
    MIN + '[rings]\nring_size = 1000\n',
    MIN + '[ports]\nmbufs = 1023\nmbuf_cache = 512\n',
    MIN + '[send]\nmin_bits = 4096\nmax_bits = 2048\n',
    MIN + '[mac]\nat_map = 0:hmac-sha1:4\n',
    MIN + '[mac]\nat_map = 0:hmac-md5:12\n',
    MIN + '[mac]\nat_map = 0:hmac-sha1:12, 0:hmac-sha256:16\n',
    MIN + '[lcores]\nslow = 3, 3\n',
    MIN + '[lcores]\nslow = 5-2\n',
    MIN + '[lcores]\ncontrol = 128\n',
    MIN + '[tunnel]\nsource = fe80::1\n',
    MIN.replace('2003::/64', '2003::/129'),
    MIN.replace('2003::1', '2003::1, zz::1'),
    MIN.replace('key_file = @D@/router.key.pem\n', ''),
    MIN.replace('key_file = @D@/router.key.pem', 'key_file = @D@/missing.pem'),
    MIN + '[ap.a]\nlla = 02:00:00:00:0a:01\n'
    'kind = no-fmip\n[ap.b]\nlla = 02:00:00:00:0a:01\nkind = no-fmip\n',
    MIN + '[ap.a]\nkind = nar\nlla = 02:00:00:00:0a:01\n',
    MIN + '[ap.a]\nlla = 02:00:00:00:0a:01\nkind = no-fmip\nport = 9\n',
    MIN + '[routes]\nroute.x = 2001:db8::/129 via fe80::1 port 1\n',
    MIN + '[routes]\nroute. = default via fe80::1 port 1\n',
    MIN + '[neighbours]\nstatic.x = ff02::1 port 0 02:00:00:00:00:01\n',
    MIN + '[neighbours]\nstatic.x = fe80::1 port 0 03:00:00:00:00:01\n',
    MIN + '[exception]\nports = 1:0\n[routes]\nroute.x = default via fe80::1 port 1\n',
    MIN + '[exception]\nports = 1:0, 2:0\n',
    (MIN + '[routes]\nfile = @D@/routes.txt\n', '2001:db8::/32 via fe80::1 port 1\nnot a route\n'),
    MIN + '[routes]\nfile = @D@/routes.txt\n',                   # no route file
    MIN + '; a comment\n# another = with an equals sign\n[keys]\n; x = y\nhk_lifetime = 60 ; s\n',
]

TEL = [b'/fmipgw/lcore,0', b'/fmipgw/lcore,3', b'/fmipgw/lcore,', b'/fmipgw/lcore',
       b'/fmipgw/lcore,18446744073709551615', b'/fmipgw/lcore, +2', b'/fmipgw/lcore,2x',
       b'/fmipgw/key,2003::3049:deeb:fd31:70b0', b'/fmipgw/key,fe80::1%eth0',
       b'/fmipgw/key,::ffff:192.0.2.1', b'/fmipgw/binding,2003::1',
       b'/fmipgw/binding,2003:0:0:0:0:0:0:1:2', b'/fmipgw/stats', b'/fmipgw/config,x',
       b',,/fmipgw/key,,2003::1']

ENUMS = ['drop', 'same', 'other', 'ipsec-mb', 'openssl', 'auto', 'sse', 'avx', 'avx2', 'avx512',
         'imb-auto', 'poll', 'adaptive', 'interrupt', 'off', 'on', 'copy', 'fixed', 'nar',
         'current-if', 'no-prefix', 'no-fmip', 'none', 'emerg', 'alert', 'crit', 'err',
         'warning', 'notice', 'info', 'debug', 'main', 'true', 'false', 'yes', 'no',
         'hmac-sha1', 'hmac-sha256', 'via', 'connected', 'local', 'default', 'port', 'route.',
         'static.', '@D@/', '@D@/routes.txt', '@D@/router.key.pem', '[ap.', ' = ', ';', '#',
         '\\;', '::', 'fe80::', '/64', '/128', '02:00:00:00:00:01']


def sample(path):
    text = open(path).read().replace('/etc/fmipgw/', '@D@/')
    bare = ''.join(l + '\n' for l in text.split('\n') if l and not l.startswith(';'))
    # a few comments back: the header, a '#' line, a trailing comment
    some = ('; fmipgw sample\n# comments start with ; or #\n' +
            bare.replace('capacity = 65536\n', 'capacity = 65536 ; keys\n', 1))
    return bare, some, text


def put(d, data, n):
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), 'wb') as fh:
        fh.write(data)
    n[0] += 1


def main():
    fuzz_dir, sample_path = sys.argv[1], sys.argv[2]
    bare, some, full = sample(sample_path)
    cdir, tdir = os.path.join(fuzz_dir, 'corpus_config'), os.path.join(fuzz_dir, 'corpus_tel_params')
    for d in (cdir, tdir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    n = [0]
    for v in [bare, some] + VARIANTS + REFUSALS:
        if isinstance(v, tuple):
            put(cdir, v[0].encode() + SEP + v[1].encode(), n)
        else:
            put(cdir, v.encode(), n)
    nt = [0]
    for t in TEL:
        put(tdir, t, nt)
    words = set(re.findall(r'^\[([a-z0-9_.]+)\]', full, re.M))
    words |= set(re.findall(r'^([a-z0-9_]+) =', full, re.M))
    with open(os.path.join(fuzz_dir, 'fuzz_config.dict'), 'w') as fh:
        fh.write('# fuzz_config: sections, keys and values (make_corpus_config.py)\n')
        for w in sorted(words) + ENUMS + ['[%s]' % s for s in sorted(re.findall(
                r'^\[([a-z0-9_.]+)\]', full, re.M))]:
            fh.write('"%s"\n' % w.replace('\\', '\\\\').replace('"', '\\"'))
        fh.write('"%s"\n' % SEP.decode().replace('\n', '\\x0a'))
    print('corpus_config: %d seeds; corpus_tel_params: %d seeds' % (n[0], nt[0]))


if __name__ == '__main__':
    main()
