// A tiny static file server for the browser tests, on 127.0.0.1 only: folders answer with
// their index.html (and a redirect when the slash is missing), anything else with the
// folder's 404.html and status 404. Paths that leave the folder are refused.
import { createServer } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { extname, join, resolve, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".xml": "application/xml; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".ics": "text/calendar; charset=utf-8",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

/** Serves `dir` on 127.0.0.1:`port`; resolves once listening. */
export async function serveDir(dir, port) {
  const root = resolve(dir);
  const base = `http://127.0.0.1:${port}/`;
  const isFile = (path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  };
  const send = (res, status, file) => {
    res.writeHead(status, { "content-type": TYPES[extname(file).toLowerCase()] || "application/octet-stream" });
    createReadStream(file).pipe(res);
  };
  const notFound = (res) => {
    const page = join(root, "404.html");
    if (isFile(page)) return send(res, 404, page);
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("not found\n");
  };
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, base).pathname);
    } catch {
      return notFound(res);
    }
    const file = resolve(root, "." + path);
    if (file !== root && !file.startsWith(root + sep)) return notFound(res);
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return notFound(res);
    }
    if (stat.isDirectory()) {
      if (!path.endsWith("/")) {
        res.writeHead(301, { location: path + "/" });
        return res.end();
      }
      const index = join(file, "index.html");
      return isFile(index) ? send(res, 200, index) : notFound(res);
    }
    return send(res, 200, file);
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", ok);
  });
  return server;
}
