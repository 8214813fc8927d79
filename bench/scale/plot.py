#!/usr/bin/env python3
"""Draws growth.svg from bench/scale/run.sh's results.tsv: time and peak memory against accounts (full pack) and
against Config items (two anchor rules), log-log, policy-engine beside the bare read pass. A straight line of slope 1
is linear growth; the dotted grey line is slope 1 through policy-engine's first point. No plotting library needed."""
import csv
import math
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
out = sys.argv[2]
W, H, M = 460, 300, 55
panels = [
    ("full-pack", "accounts", "Full pack: accounts × 4 regions + 100k items", "accounts"),
    ("anchor", "resources", "Two anchor rules: Config items", "resources"),
]
metrics = [("wall_s", "wall time (s)"), ("cpu_s", "CPU time, user+sys (s)"), ("rss_mb", "peak RSS (MB)")]
colors = {"policy-engine": "#c0392b", "policy-engine-whole": "#e08e0b", "read-pass": "#2c3e50"}


def panel(x0, y0, workload, key, title, xlabel, metric, mlabel):
    data = [r for r in rows if r["workload"] == workload]
    if not data:
        return ""
    xs = [float(r[key]) for r in data]
    ys = [float(r[metric]) for r in data if float(r[metric]) > 0]
    lx0, lx1 = math.log10(min(xs)), math.log10(max(xs))
    ly0, ly1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    lx1 = lx1 if lx1 > lx0 else lx0 + 1
    ly1 = ly1 if ly1 > ly0 else ly0 + 1
    px = lambda v: x0 + M + (math.log10(v) - lx0) / (lx1 - lx0) * (W - 2 * M)
    py = lambda v: y0 + H - M + 10 - (math.log10(v) - ly0) / (ly1 - ly0) * (H - 2 * M)
    s = [f'<text x="{x0 + W / 2}" y="{y0 + 22}" text-anchor="middle" font-weight="bold">{title}</text>']
    s.append(f'<rect x="{x0 + M}" y="{y0 + M - 10}" width="{W - 2 * M}" height="{H - 2 * M}" fill="none" stroke="#999"/>')
    for e in range(ly0, ly1 + 1):
        y = py(10 ** e)
        s.append(f'<line x1="{x0 + M}" x2="{x0 + W - M}" y1="{y}" y2="{y}" stroke="#eee"/>')
        s.append(f'<text x="{x0 + M - 5}" y="{y + 4}" text-anchor="end" font-size="11">{10 ** e:g}</text>')
    for v in sorted(set(xs)):
        s.append(f'<text x="{px(v)}" y="{y0 + H - M + 25}" text-anchor="middle" font-size="11">{int(v):,}</text>')
    s.append(f'<text x="{x0 + W / 2}" y="{y0 + H - 8}" text-anchor="middle" font-size="12">{xlabel} (log)</text>')
    s.append(f'<text x="{x0 + 14}" y="{y0 + H / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 {x0 + 14} {y0 + H / 2})">{mlabel} (log)</text>')
    for program, color in colors.items():
        pts = sorted((float(r[key]), float(r[metric])) for r in data if r["program"] == program and float(r[metric]) > 0)
        if not pts:
            continue
        s.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{" ".join(f"{px(a):.1f},{py(b):.1f}" for a, b in pts)}"/>')
        for a, b in pts:
            s.append(f'<circle cx="{px(a):.1f}" cy="{py(b):.1f}" r="3" fill="{color}"><title>{program} {int(a):,}: {b:g}</title></circle>')
        if program == "policy-engine":
            a0, b0 = pts[0]
            a1 = pts[-1][0]
            s.append(f'<line x1="{px(a0):.1f}" y1="{py(b0):.1f}" x2="{px(a1):.1f}" y2="{py(b0 * a1 / a0):.1f}" stroke="#aaa" stroke-dasharray="3,3"/>')
    return "\n".join(s)


parts = []
for i, (metric, mlabel) in enumerate(metrics):
    for j, (workload, key, title, xlabel) in enumerate(panels):
        parts.append(panel(j * W, 30 + i * H, workload, key, title, xlabel, metric, mlabel))
legend = (f'<text x="10" y="20" font-size="12"><tspan fill="{colors["policy-engine"]}">━ policy-engine evaluate (whole process; in parts above 64 MB)</tspan>'
          f'   <tspan fill="{colors["policy-engine-whole"]}">━ the same, --part-size 0</tspan>'
          f'   <tspan fill="{colors["read-pass"]}">━ File.ReadAllBytes + one Utf8JsonReader pass</tspan>'
          '   <tspan fill="#888">┅ linear growth from the first point</tspan></text>')
svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{30 + len(metrics) * H}" font-family="sans-serif" font-size="13">'
       f'<rect width="100%" height="100%" fill="white"/>{legend}\n' + "\n".join(parts) + "\n</svg>\n")
open(out, "w").write(svg)
