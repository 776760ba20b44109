#!/usr/bin/env python3
"""Draws the example site's pictures: covers for articles and events, member portraits and
a screenshot for a showcase. Made for kring (under its licence, like the rest of example-site/), drawn
from shapes so the repository carries no photos of real people.

    python3 scripts/example-images.py        # needs Pillow; chromium for the screenshot
"""
import math
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent / "example-site"
OUT = ROOT / "static" / "images"
GREEN, SAND, CLAY, INK, CREAM = (31, 77, 54), (232, 205, 150), (196, 98, 62), (33, 37, 41), (250, 245, 235)


def gradient(size, top, bottom):
    w, h = size
    img = Image.new("RGB", size)
    d = ImageDraw.Draw(img)
    for y in range(h):
        t = y / max(h - 1, 1)
        d.line([(0, y), (w, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    return img


def save(img, name, **kw):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    img.save(path, quality=84, optimize=True, progressive=True, **kw) if name.endswith(".jpg") else img.save(path, optimize=True)
    print(path.relative_to(ROOT.parent), img.size, path.stat().st_size // 1024, "KiB")


def meetup_table(rnd):
    """A long table from above: people round it, laptops, mugs and sticky notes."""
    img = Image.new("RGB", (1600, 900), (214, 196, 170))
    d = ImageDraw.Draw(img)
    for x in range(0, 1600, 80):  # floorboards
        d.line([(x, 0), (x, 900)], fill=(200, 181, 154), width=3)
    d.rounded_rectangle([220, 300, 1380, 600], 40, fill=(120, 84, 56))
    d.rounded_rectangle([236, 316, 1364, 584], 32, fill=(146, 104, 70))
    shirts = [GREEN, CLAY, (70, 110, 160), (150, 90, 140), (200, 160, 60), (90, 130, 100)]
    for i, x in enumerate(range(300, 1340, 160)):
        for y, side in ((235, 1), (665, -1)):
            d.ellipse([x - 62, y - 45, x + 62, y + 45], fill=rnd.choice(shirts))
            skin = rnd.choice([(241, 200, 170), (200, 150, 110), (140, 95, 65), (90, 60, 40)])
            d.ellipse([x - 30, y - 30 + 18 * side, x + 30, y + 30 + 18 * side], fill=skin)
            if rnd.random() < 0.6:  # a laptop or a notebook in front of them
                ly = y + 95 * side
                d.rectangle([x - 45, ly - 28, x + 45, ly + 28], fill=(60, 64, 70) if rnd.random() < 0.5 else CREAM)
            mx, my = x + 70, y + 100 * side
            d.ellipse([mx - 16, my - 16, mx + 16, my + 16], fill=(240, 240, 235))
            d.ellipse([mx - 10, my - 10, mx + 10, my + 10], fill=(92, 58, 38))
    for _ in range(14):  # sticky notes in the middle
        x, y = rnd.randint(330, 1260), rnd.randint(405, 470)
        d.rectangle([x, y, x + 42, y + 42], fill=rnd.choice([(255, 228, 94), (255, 160, 150), (150, 220, 200)]))
    return img.filter(ImageFilter.GaussianBlur(0.6))


def city_evening(rnd, bridge):
    """A city at dusk over water: the Dom tower, or a cable bridge (Rotterdam)."""
    img = gradient((1600, 900), (46, 54, 96), (238, 160, 110))
    d = ImageDraw.Draw(img)
    d.ellipse([1150, 170, 1270, 290], fill=(255, 226, 170))
    sky = 560
    x = 0
    while x < 1600:
        w, h = rnd.randint(60, 150), rnd.randint(80, 260)
        d.rectangle([x, sky - h, x + w, sky], fill=(38, 40, 60))
        for wy in range(sky - h + 16, sky - 10, 28):
            for wx in range(x + 10, x + w - 12, 22):
                if rnd.random() < 0.35:
                    d.rectangle([wx, wy, wx + 8, wy + 12], fill=(255, 214, 120))
        x += w + rnd.randint(0, 20)
    if bridge:
        d.polygon([(820, 560), (850, 120), (880, 560)], fill=(230, 232, 236))
        for i in range(12):
            d.line([(850, 140 + i * 10), (300 + i * 40, 520)], fill=(230, 232, 236), width=3)
            d.line([(850, 140 + i * 10), (1400 - i * 40, 520)], fill=(230, 232, 236), width=3)
        d.rectangle([150, 515, 1500, 540], fill=(70, 74, 90))
    else:
        d.rectangle([700, 180, 800, 560], fill=(52, 50, 66))
        d.rectangle([715, 110, 785, 180], fill=(52, 50, 66))
        d.polygon([(715, 110), (750, 40), (785, 110)], fill=(52, 50, 66))
        for wy in range(210, 540, 60):
            d.rectangle([738, wy, 762, wy + 34], fill=(255, 214, 120))
    water = gradient((1600, 340), (60, 70, 110), (30, 36, 64))
    img.paste(water, (0, 560))
    for _ in range(120):
        x, y = rnd.randint(0, 1600), rnd.randint(570, 900)
        d.line([(x, y), (x + rnd.randint(20, 70), y)], fill=(240, 180, 120), width=2)
    return img


def winter_walk(rnd):
    """Bare trees in snow, a path, walkers in coats."""
    img = gradient((1600, 900), (200, 214, 226), (246, 248, 250))
    d = ImageDraw.Draw(img)
    d.polygon([(700, 900), (900, 900), (820, 520), (780, 520)], fill=(214, 208, 200))

    def tree(x, y, length, angle, width):
        if length < 12:
            return
        x2, y2 = x + length * math.cos(angle), y - length * math.sin(angle)
        d.line([(x, y), (x2, y2)], fill=(70, 60, 56), width=max(1, width))
        for turn in (-0.45, 0.4):
            tree(x2, y2, length * rnd.uniform(0.62, 0.75), angle + turn + rnd.uniform(-0.15, 0.15), width - 2)

    for x in list(range(40, 640, 110)) + list(range(1000, 1600, 120)):
        tree(x + rnd.randint(-20, 20), 620 + rnd.randint(-30, 30), rnd.randint(110, 170), math.pi / 2, 12)
    d.rectangle([0, 610, 1600, 900], fill=(244, 246, 248))
    d.polygon([(690, 900), (910, 900), (815, 560), (785, 560)], fill=(214, 208, 200))
    for i, (x, coat) in enumerate([(770, CLAY), (835, GREEN), (800, (70, 110, 160))]):
        y = 700 + i * 50
        d.rounded_rectangle([x - 22, y - 70, x + 22, y], 10, fill=coat)
        d.ellipse([x - 15, y - 100, x + 15, y - 70], fill=(230, 190, 160))
        d.rectangle([x - 16, y - 104, x + 16, y - 92], fill=(180, 40, 50))
    for _ in range(500):
        x, y, r = rnd.randint(0, 1600), rnd.randint(0, 900), rnd.choice([1, 2, 2, 3])
        d.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 255))
    return img


def sticky_wall(rnd):
    """Sticky notes on a wall in a workshop, with scribbles."""
    img = Image.new("RGB", (1600, 900), (236, 232, 224))
    d = ImageDraw.Draw(img)
    colours = [(255, 228, 94), (255, 170, 160), (150, 220, 200), (180, 200, 255)]
    for col in range(9):
        for row in range(4):
            if rnd.random() < 0.2:
                continue
            x, y = 110 + col * 160 + rnd.randint(-12, 12), 100 + row * 180 + rnd.randint(-10, 10)
            note = Image.new("RGBA", (130, 130), rnd.choice(colours) + (255,))
            nd = ImageDraw.Draw(note)
            for line in range(3):
                ly = 32 + line * 28
                nd.line([(14, ly), (14 + rnd.randint(50, 100), ly + rnd.randint(-3, 3))], fill=(60, 60, 70, 255), width=4)
            note = note.rotate(rnd.uniform(-6, 6), expand=True, fillcolor=(0, 0, 0, 0))
            img.paste(note, (x, y), note)
    return img


def portrait(rnd, skin, hair, shirt, bg):
    """A head-and-shoulders portrait in flat shapes."""
    img = gradient((800, 800), bg, tuple(max(0, c - 40) for c in bg))
    d = ImageDraw.Draw(img)
    d.ellipse([130, 560, 670, 1100], fill=shirt)
    d.rectangle([350, 470, 450, 600], fill=skin)
    d.ellipse([240, 170, 560, 530], fill=hair)
    d.ellipse([265, 215, 535, 525], fill=skin)
    d.chord([250, 150, 550, 420], 180, 360, fill=hair)
    for ex in (345, 455):
        d.ellipse([ex - 12, 350, ex + 12, 374], fill=INK)
    d.arc([350, 390, 450, 460], 20, 160, fill=(150, 70, 60), width=7)
    return img


def screenshot():
    """A screenshot of a podcast's site, drawn in HTML and shot with headless Chromium."""
    html = """<!doctype html><meta charset=utf-8><style>
    body{margin:0;font:18px/1.5 sans-serif;background:#faf5eb;color:#212529}
    header{background:#1f4d36;color:#faf5eb;padding:28px 48px;font-size:30px;font-weight:700}
    main{padding:24px 48px;display:grid;grid-template-columns:repeat(3,1fr);gap:24px}
    .ep{background:#fff;border-radius:14px;padding:20px;box-shadow:0 2px 6px #0002}
    .ep b{display:block;color:#c4623e;font-size:14px}
    .art{height:110px;border-radius:10px;margin-bottom:12px;background:linear-gradient(135deg,#e8cd96,#c4623e)}
    </style><header>Kitchen Table Communities <small style="font-weight:400;font-size:18px">· a podcast</small></header><main>"""
    titles = ["The choir that votes on everything", "Allotments and the waiting list", "A chess club in a laundrette",
              "Moderating a Discord of 4,000", "When the founder moves away", "Sixty-two episodes in"]
    for n, t in enumerate(titles):
        html += f'<div class="ep"><div class="art"></div><b>Episode {62 - n}</b>{t}</div>'
    html += "</main>"
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "s.html"
        page.write_text(html)
        shot = Path(tmp) / "s.png"
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--hide-scrollbars", "--window-size=1200,750", f"--screenshot={shot}", page.as_uri()],
                       check=True, capture_output=True)
        return Image.open(shot).convert("RGB")


def main():
    rnd = random.Random(2026)
    save(meetup_table(rnd), "meetup-table.jpg")
    save(city_evening(rnd, bridge=False), "utrecht-evening.jpg")
    save(city_evening(rnd, bridge=True), "rotterdam-bridge.jpg")
    save(winter_walk(rnd), "winter-walk.jpg")
    save(sticky_wall(rnd), "sticky-notes.jpg")
    people = {
        "tom": ((241, 200, 170), (120, 80, 40), GREEN, (232, 205, 150)),
        "daan": ((230, 185, 150), (60, 50, 45), (70, 110, 160), (214, 226, 236)),
        "femke": ((245, 210, 185), (210, 150, 60), CLAY, (217, 234, 223)),
        "mateo": ((180, 130, 95), (30, 26, 24), (200, 160, 60), (245, 217, 207)),
        "amara": ((110, 72, 50), (25, 20, 20), (150, 90, 140), (244, 227, 193)),
    }
    for name, colours in people.items():
        save(portrait(rnd, *colours), f"members/{name}.jpg")
    if "--no-screenshot" not in sys.argv:
        save(screenshot(), "kitchen-table-screenshot.png")


if __name__ == "__main__":
    main()
