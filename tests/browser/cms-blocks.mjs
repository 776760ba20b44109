// The editor components of kring-blocks.js without a browser: each component's toBlock →
// pattern → fromBlock round trip on hostile values, and blocks written by hand read back.
// Writes the blocks it made to OUT (JSON) for tests/integration/cms.rs to build with kring.
//
// Usage: node cms-blocks.mjs KRING_BLOCKS_JS OUT_JSON
import { readFileSync, writeFileSync } from "node:fs";
import vm from "node:vm";
import assert from "node:assert/strict";

const [script, out] = process.argv.slice(2);
const components = new Map();
vm.runInNewContext(readFileSync(script, "utf8"), {
  CMS: { registerEditorComponent: (c) => components.set(c.id, c) },
});

// Values that have broken front matter, block syntax, Markdown or HTML somewhere.
const HOSTILE = [
  'He said "hi" and \'bye\' \\ `code`',
  '"""',
  "+++",
  "line one\nline two\r\nline three\rfour",
  "</script><!--<script>alert(1)</script>",
  "Café ✓ 日本語 ﷽ 🎉",
  "{% end %} and {{ not a call and %} }} {%",
  "{{ video(url=\"https://youtu.be/dQw4w9WgXcQ\") }} inline call kept",
  "### not a question\n<h3>nor this</h3>",
  "```\nan open fence",
  "ends with a hash #",
  "\0nul",
];
const oneLine = (s) => s.replace(/\r\n?|\n/g, " ");
// A code fence left open is closed, so it cannot swallow the block's `{% end %}`.
const closed = (s) => ((s.match(/^ {0,3}```/gm) || []).length % 2 ? `${s}\n\`\`\`` : s);
const text = (s) => closed(s.replace(/\r\n?/g, "\n").trim());

// Values each block must have to build, and which of its fields take hostile text.
const CASES = {
  faq: (h, i) => ({
    data: {
      intro: h,
      items: [
        { question: oneLine(h).trim() || "Why?", answer: h },
        { question: `Question ${i}`, answer: "Plain." },
      ],
    },
    expect: (d) => ({
      intro: text(d.intro),
      items: d.items.map((it) => ({ question: it.question.trim(), answer: text(it.answer) })),
    }),
  }),
  callout: (h) => ({
    data: { kind: "warning", title: h, body: h },
    expect: (d) => ({ kind: d.kind, title: oneLine(d.title), body: closed(d.body.replace(/\r\n?/g, "\n")) }),
  }),
  video: (h) => ({
    data: { url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ", title: h, start: "1m30s" },
    expect: (d) => ({ ...d, title: oneLine(d.title) }),
  }),
  event: () => ({ data: { path: "@/events/stoep-live.md" }, expect: (d) => d }),
  member: () => ({ data: { id: "noor" }, expect: (d) => d }),
  signup: () => ({ data: {}, expect: (d) => d }),
};

// Objects made in the script's own context: compared as data.
const plain = (x) => JSON.parse(JSON.stringify(x));

const made = [];
for (const [id, c] of components) {
  const make = CASES[id];
  assert.ok(make, `no test case for the component ${id}: add one to cms-blocks.mjs`);
  HOSTILE.forEach((h, i) => {
    const { data, expect } = make(h, i);
    const block = c.toBlock(data);
    const m = c.pattern.exec(`${block}\n\nText after the block {% end %}.`);
    assert.ok(m, `${id}: the pattern does not match what toBlock wrote:\n${block}`);
    assert.equal(m.index, 0);
    assert.equal(m[0], block, `${id}: the pattern takes more or less than the block`);
    const back = plain(c.fromBlock(m));
    assert.deepEqual(back, expect(data), `${id}: read back differently from\n${block}`);
    assert.equal(c.toBlock(back), block, `${id}: written again differently`);
    if (typeof c.toPreview(data) !== "string") throw new Error(`${id}: toPreview`);
    made.push({ id, hostile: i, block, data: back });
  });
}
console.log(`ok: ${components.size} components round-trip ${HOSTILE.length} hostile values`);

// Blocks as people write them by hand, read by the components.
const HAND = [
  ["video", "{{video(url='https://vimeo.com/1', start=90)}}", { url: "https://vimeo.com/1", start: "90" }],
  ["callout", '{%callout(kind="tip",title="A \\"quoted\\" title")%}\nSome *text*.\n\nMore.\n{%end%}', { kind: "tip", title: 'A "quoted" title', body: "Some *text*.\n\nMore." }],
  ["callout", "{% callout() %}\nNo arguments.\n{% end %}", { body: "No arguments." }],
  ["faq", "{% faq() %}\nEverything about our meetups.\n\n### Do I need to sign up?\nNo: walk in.\n\n### Is it free? ###\nYes, always.\n{% end %}", {
    intro: "Everything about our meetups.",
    items: [{ question: "Do I need to sign up?", answer: "No: walk in." }, { question: "Is it free?", answer: "Yes, always." }],
  }],
  ["faq", "{% faq() %}\n### With code\n```\n### not a question\n```\n{% end %}", {
    intro: "",
    items: [{ question: "With code", answer: "```\n### not a question\n```" }],
  }],
  ["member", '{{ member(id="noor") }}', { id: "noor" }],
  ["event", '{{ event(path="@/events/stoep-live.md") }}', { path: "@/events/stoep-live.md" }],
];
for (const [id, written, data] of HAND) {
  const c = components.get(id);
  const m = c.pattern.exec(written);
  assert.ok(m && m[0] === written, `${id}: a hand-written block is not matched:\n${written}`);
  assert.deepEqual(plain(c.fromBlock(m)), data, `${id}: ${written}`);
}
// A call written out (`{{/* … */}}`) and a body with another block's body inside are not
// taken for a component: the editor keeps them as text.
assert.equal(components.get("video").pattern.exec('{{/* video(url="x") */}}'), null);
assert.equal(components.get("callout").pattern.exec("{% callout() %}\n{% faq() %}\n### q\n{% end %}\n{% end %}"), null);
console.log(`ok: ${HAND.length} hand-written blocks are read`);

writeFileSync(out, JSON.stringify(made));
