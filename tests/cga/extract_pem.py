#!/usr/bin/env python3
"""Write the veripy CGA public key (a PEM string inside reference.json) to a file."""
import json
import sys

with open(sys.argv[1]) as f:
    d = json.load(f)
pem = [c for c in d['cga'] if c['name'] == 'veripy'][0]['public_key_pem']
with open(sys.argv[2], 'w') as f:
    f.write(pem if pem.endswith('\n') else pem + '\n')
