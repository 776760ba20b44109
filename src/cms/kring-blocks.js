// kring's content blocks as Decap editor components. KRING_BLOCKS (above, written by
// `kring cms` from kring's own list of blocks) says which blocks there are, their arguments
// and their fields; this part writes kring's syntax and reads it back, hand-written or not:
//   {{ name(arg="value") }}                      a block without a body
//   {% name(arg="value") %} Markdown {% end %}   a block with one
(function () {
  "use strict";

  // The arguments between the parentheses: quoted strings (with \-escapes) and bare words.
  var ARGS = "(?:[^()\"']|\"(?:[^\"\\\\]|\\\\[\\s\\S])*\"|'(?:[^'\\\\]|\\\\[\\s\\S])*')*";
  // A whole inline call, or `{{/* … */}}` (a call written out): left as they are in a body.
  var WHOLE_CALL = new RegExp("\\{\\{\\s*(?:[A-Za-z_]\\w*\\(" + ARGS + "\\)\\s*\\}\\}|\\/\\*[\\s\\S]*?\\*\\/\\}\\})", "y");
  var FENCE = /^ {0,3}(`{3,}|~{3,})/;
  var QUESTION = /^ {0,3}###(?:[ \t]+(.*)|[ \t]*)$/;

  function unquote(s) {
    var out = "";
    for (var i = 1; i < s.length - 1; i++) {
      if (s[i] === "\\" && i + 1 < s.length - 1) i++;
      out += s[i];
    }
    return out;
  }

  // `a="x", n=3` → { a: "x", n: "3" }, as kring reads them.
  function parseArgs(s) {
    var out = {};
    var re = /\s*([A-Za-z0-9_]+)\s*=\s*("(?:[^"\\]|\\[\s\S])*"|'(?:[^'\\]|\\[\s\S])*'|[^,\s)]+)\s*,?/g;
    var m;
    while ((m = re.exec(s)) !== null && m[0] !== "") {
      var v = m[2];
      out[m[1]] = v[0] === '"' || v[0] === "'" ? unquote(v) : v;
    }
    return out;
  }

  // A value in kring's quotes, on one line. `}` and backticks are escaped too: kring ends a
  // call at the first `}}` or `%}`, quotes or not, and a backtick could open inline code.
  function quote(v) {
    return '"' + String(v).replace(/\r\n?|\n/g, " ").replace(/[\\"`}]/g, "\\$&") + '"';
  }

  // Lines of Markdown with whether each is inside a fenced code block.
  function lines(text) {
    var fence = null;
    return text.split("\n").map(function (line) {
      var m = FENCE.exec(line);
      var inCode = fence !== null;
      if (m && fence === null) {
        fence = m[1];
        inCode = true;
      } else if (m && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) {
        fence = null;
      }
      return { line: line, code: inCode, open: fence };
    });
  }

  // Markdown from a field, made safe inside a block's body: a `{%` would open or end a block
  // (the body's `{% end %}` must be the first one), a `{{` that is no whole call would stop
  // the build, and a code fence left open would swallow the `{% end %}`. Each such `{` is
  // written as `&#123;`, which Markdown shows as `{`. `faq`: true in a FAQ's text,
  // "question" for its one-line questions.
  function markdown(v, faq) {
    var text = String(v == null ? "" : v).replace(/\r\n?/g, "\n");
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (c === "{" && text[i + 1] === "{") {
        WHOLE_CALL.lastIndex = i;
        var m = WHOLE_CALL.exec(text);
        if (m) {
          out += m[0];
          i += m[0].length - 1;
          continue;
        }
        out += "&#123;";
      } else if (c === "{" && text[i + 1] === "%") {
        out += "&#123;";
      } else {
        out += c;
      }
    }
    // A question is one line, after `### `: no fence or heading starts there.
    if (faq === "question") return out.replace(/<(h3)/gi, "&lt;$1");
    var all = lines(out);
    out = all
      .map(function (l) {
        if (l.code || !faq) return l.line;
        // In a FAQ a `### line` would be read back as a question, and an `<h3>` too.
        if (QUESTION.test(l.line)) l.line = l.line.replace("#", "\\#");
        return l.line.replace(/<(h3)/gi, "&lt;$1");
      })
      .join("\n");
    var last = all[all.length - 1];
    if (last && last.open) out += "\n" + last.open;
    return out;
  }

  // What `markdown` escaped, back as the writer typed it.
  function unescapeText(s, faq) {
    s = s.replace(/&#123;/g, "{");
    if (!faq) return s;
    return lines(s)
      .map(function (l) {
        return l.code ? l.line : l.line.replace(/^( {0,3})\\###/, "$1###").replace(/&lt;(h3)/gi, "<$1");
      })
      .join("\n");
  }

  // A FAQ's body: the text before the first `###` question, then each question and answer.
  function faqFromBody(body) {
    var intro = [];
    var items = [];
    lines(body).forEach(function (l) {
      var q = l.code ? null : QUESTION.exec(l.line);
      if (q) {
        var question = (q[1] || "").replace(/[ \t]+#+[ \t]*$/, "").replace(/^#+[ \t]*$/, "");
        items.push({ question: unescapeText(question.replace(/\\(#+)$/, "$1").trim(), true), answer: [] });
      } else if (items.length) {
        items[items.length - 1].answer.push(l.line);
      } else {
        intro.push(l.line);
      }
    });
    return {
      intro: unescapeText(intro.join("\n").trim(), true),
      items: items.map(function (it) {
        return { question: it.question, answer: unescapeText(it.answer.join("\n").trim(), true) };
      }),
    };
  }

  function faqToBody(data) {
    var parts = [];
    if (data.intro) parts.push(markdown(data.intro, true));
    (data.items || []).forEach(function (it) {
      var q = markdown(String(it.question || "").replace(/\r\n?|\n/g, " ").trim(), "question");
      // A `#` at the end would be read as the heading's closing sequence.
      parts.push("### " + q.replace(/#+$/, "\\$&"));
      if (it.answer) parts.push(markdown(it.answer, true));
    });
    return parts.join("\n\n");
  }

  function html(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }

  function plain(v) {
    // Immutable maps and lists from Decap's widgets, plain values from the parser.
    return v && typeof v.toJS === "function" ? v.toJS() : v;
  }

  function component(block) {
    var name = block.id.replace(/[^A-Za-z0-9_]/g, "");
    var pattern = block.body
      ? new RegExp("^\\{%\\s*" + name + "\\((" + ARGS + ")\\)\\s*%\\}((?:(?!\\{%)[\\s\\S])*)\\{%\\s*end\\s*%\\}")
      : new RegExp("^\\{\\{\\s*" + name + "\\((" + ARGS + ")\\)\\s*\\}\\}");
    return {
      id: block.id,
      label: block.label,
      fields: block.fields,
      pattern: pattern,
      fromBlock: function (match) {
        var args = parseArgs(match[1]);
        var data = {};
        block.args.forEach(function (a) {
          if (args[a] !== undefined) data[a] = args[a];
        });
        if (block.body) {
          var body = match[2].replace(/^[ \t]*\n/, "").replace(/\n[ \t]*$/, "");
          if (block.body === "faq") {
            var faq = faqFromBody(body);
            data.intro = faq.intro;
            data.items = faq.items;
          } else {
            data.body = unescapeText(body, false);
          }
        }
        return data;
      },
      toBlock: function (data) {
        data = plain(data) || {};
        var args = block.args
          .filter(function (a) {
            return data[a] !== undefined && data[a] !== null && String(data[a]) !== "";
          })
          .map(function (a) {
            return a + "=" + quote(data[a]);
          })
          .join(", ");
        var call = name + "(" + args + ")";
        if (!block.body) return "{{ " + call + " }}";
        var body = block.body === "faq" ? faqToBody(data) : markdown(data.body, false);
        return "{% " + call + " %}\n" + body + "\n{% end %}";
      },
      toPreview: function (data) {
        data = plain(data) || {};
        if (block.body === "faq") {
          return (
            '<section class="faq">' +
            (data.intro ? "<p>" + html(data.intro) + "</p>" : "") +
            (data.items || [])
              .map(function (it) {
                return "<details open><summary>" + html(it.question) + "</summary><p>" + html(it.answer) + "</p></details>";
              })
              .join("") +
            "</section>"
          );
        }
        var shown = block.args
          .filter(function (a) {
            return data[a];
          })
          .map(function (a) {
            return html(a) + ": " + html(data[a]);
          })
          .join(", ");
        return (
          '<div class="kring-block kring-block-' + name + '"><strong>' + html(block.label) + "</strong> " + shown +
          (block.body ? "<p>" + html(data.body) + "</p>" : "") +
          "</div>"
        );
      },
    };
  }

  KRING_BLOCKS.forEach(function (block) {
    CMS.registerEditorComponent(component(block));
  });
})();
