#!/usr/bin/env python3
"""Copies ingress/nginx/conf/nginx.conf and ingress/nginx/lua/emojivoto/*.lua into the ConfigMaps
ingress-nginx and ingress-lua of ingress.yml, which must hold exactly those files (ManifestsTest
fails otherwise). Run after changing any of them: python3 kubernetes/sync-ingress-configmaps.py"""
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
manifest = root / "ingress.yml"
files = {"nginx.conf": root / "ingress/nginx/conf/nginx.conf"}
files.update({p.name: p for p in sorted((root / "ingress/nginx/lua/emojivoto").glob("*.lua"))})

text = manifest.read_text()
for name, path in files.items():
    block = re.compile(r"^  " + re.escape(name) + r": \|\n(?:(?:    .*)?\n)*?(?=^  \S|^---|\Z)", re.M)
    if not block.search(text):
        raise SystemExit(f"ingress.yml has no ConfigMap entry {name}: add it to the ConfigMap and the volume's items")
    body = "".join(("    " + line if line.strip() else "") + "\n" for line in path.read_text().split("\n")[:-1])
    text = block.sub(lambda m: f"  {name}: |\n{body}", text, count=1)
manifest.write_text(text)
print(f"ingress.yml: {len(files)} files copied")
