#!/usr/bin/env python3
"""Turn tests/vectors/reference.json into a C header of byte arrays for the unit tests.

Every value that is a hex string (even length, only hex digits, at least 2 chars) becomes
`static const uint8_t ref_<path>[]` plus `#define ref_<path>_len`; addresses become
`ref_<path>_addr` (16 octets) via inet_pton; integers and 0x-strings become #defines.
The JSON is the published reference (shared/vectors), never output of fmipgw's code.
"""
import ipaddress
import json
import re
import sys

HEX = re.compile(r'^([0-9a-fA-F]{2})+$')


def cname(path):
    return 'ref_' + re.sub(r'[^0-9a-zA-Z]+', '_', '_'.join(path)).strip('_').lower()


def emit(out, path, v):
    if isinstance(v, dict):
        for k, x in v.items():
            if k.startswith('_'):
                continue
            emit(out, path + [k], x)
    elif isinstance(v, list):
        for x in v:
            name = x.get('name', str(len(out))) if isinstance(x, dict) else str(len(out))
            emit(out, path + [name], x)
    elif isinstance(v, bool):
        return
    elif isinstance(v, int):
        out.append('#define %s %d' % (cname(path), v))
    elif isinstance(v, str):
        n = cname(path)
        if v.startswith('0x') and HEX.match(v[2:].rjust(len(v[2:]) + len(v[2:]) % 2, '0')):
            out.append('#define %s 0x%s' % (n, v[2:]))
        elif HEX.match(v) and len(v) >= 2:
            b = bytes.fromhex(v)
            body = ','.join('0x%02x' % c for c in b)
            out.append('static const uint8_t %s[] = {%s};' % (n, body))
            out.append('#define %s_len %d' % (n, len(b)))
        else:
            try:
                a = ipaddress.IPv6Address(v)
                body = ','.join('0x%02x' % c for c in a.packed)
                out.append('static const uint8_t %s_addr[16] = {%s};' % (n, body))
            except ValueError:
                pass


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f:
        d = json.load(f)
    out = []
    emit(out, [], d)
    with open(dst, 'w') as f:
        f.write('/* generated from reference.json by gen_vectors.py; do not edit */\n')
        f.write('#pragma once\n#include <stdint.h>\n')
        f.write('\n'.join(out))
        f.write('\n')


if __name__ == '__main__':
    main()
